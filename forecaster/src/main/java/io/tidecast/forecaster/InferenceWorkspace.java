package io.tidecast.forecaster;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reusable arena for the arrays of one inference call.
 *
 * <p>Fresh native memory is expensive: on the virtual machines measured here the first touch of a
 * new page costs about 5 ms per MB, more than the arithmetic of most layers; and native arrays
 * allocated outside a workspace are freed only when the garbage collector reaches their handles,
 * so the resident set of a loop grows. Inside a workspace, the first call learns how much it needs
 * and every later call reuses that block: no new pages, flat memory.
 *
 * <p>Arrays created inside are valid only until the scope closes; {@code detach()} what must
 * survive, and create long-lived arrays (weights, caches) {@link #outside} any workspace.
 */
public final class InferenceWorkspace {

  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0)
      .overallocationLimit(0.1)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  private InferenceWorkspace() {}

  /** Opens (or reopens) this thread's workspace named {@code id}; close it to end the call. */
  public static MemoryWorkspace open(String id) {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
  }

  /** Runs {@code body} with no workspace active, so that what it creates outlives any scope. */
  public static <T> T outside(Supplier<T> body) {
    try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return body.get();
    }
  }
}

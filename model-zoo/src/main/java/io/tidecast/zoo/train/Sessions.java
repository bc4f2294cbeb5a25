package io.tidecast.zoo.train;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps SameDiff's per-thread inference sessions from growing. A session records the id of every
 * array it frees, in a set it never clears: about 1,200 ids per training pass of the Informer, so
 * over a run of thousands of passes millions of entries, a heap that grows without bound and full
 * collections that take longer every step. The ids matter only within one call (they stop an
 * array being freed twice), so clearing them after the call is safe.
 */
public final class Sessions {

  private static final Field FREED_ARRAYS = freedArraysField();

  private Sessions() {}

  /**
   * {@code sd.output(feed, outputs)}, then clears the ids the calling thread's session kept:
   * every call that runs a graph goes through here.
   */
  public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed,
      List<String> outputs) {
    return output(sd, feed, outputs.toArray(new String[0]));
  }

  /** As {@link #output(SameDiff, Map, List)}. */
  public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed,
      String... outputs) {
    Map<String, INDArray> values = sd.output(feed, outputs);
    forgetFreedArrays(sd);
    return values;
  }

  /** Clears the freed-array ids of the calling thread's session of {@code sd}, if it has one. */
  private static void forgetFreedArrays(SameDiff sd) {
    freedArrays(sd).ifPresent(Set::clear);
  }

  /** The freed-array ids of the calling thread's session of {@code sd}. */
  public static Optional<Set<?>> freedArrays(SameDiff sd) {
    InferenceSession session = sd.getSessions().get(Thread.currentThread().getId());
    if (session == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((Set<?>) FREED_ARRAYS.get(session));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read InferenceSession.freedArrays", e);
    }
  }

  private static Field freedArraysField() {
    try {
      Field field = InferenceSession.class.getDeclaredField("freedArrays");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this ND4J version's InferenceSession has no freedArrays"
          + " set; Sessions was written against 1.0.0-M2.1", e);
    }
  }
}

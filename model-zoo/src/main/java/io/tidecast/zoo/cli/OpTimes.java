package io.tidecast.zoo.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time of every op a SameDiff graph executes, summed by op type and by op: where a training
 * step's time goes. Single-threaded use only (one graph run at a time).
 */
final class OpTimes extends BaseListener {

  /** Summed nanoseconds and calls of one op type or one op. */
  private static final class Total {
    long nanos;
    long calls;
  }

  private final Map<String, Total> byType = new HashMap<>();
  private final Map<String, Total> byOp = new HashMap<>();
  private long started;

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
    started = System.nanoTime();
  }

  @Override
  public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op,
      OpContext context, INDArray[] outputs) {
    long nanos = System.nanoTime() - started;
    add(byType, op.getOp().opName(), nanos);
    StringBuilder shapes = new StringBuilder();
    for (INDArray input : context.getInputArrays()) {
      shapes.append(' ').append(java.util.Arrays.toString(input.shape()));
    }
    add(byOp, op.getName() + " (" + op.getOp().opName() + ")" + shapes, nanos);
  }

  private static void add(Map<String, Total> totals, String key, long nanos) {
    Total t = totals.computeIfAbsent(key, k -> new Total());
    t.nanos += nanos;
    t.calls++;
  }

  /** Forgets everything measured so far (after a warm-up step, say). */
  void reset() {
    byType.clear();
    byOp.clear();
  }

  /** The {@code top} op types and ops by time, per step of {@code steps}. */
  void print(PrintWriter out, int steps, int top) {
    long all = byType.values().stream().mapToLong(t -> t.nanos).sum();
    out.printf(Locale.ROOT, "op time: %.3f s per step in ops%n", all / 1e9 / steps);
    table(out, "op type", byType, all, steps, top);
    table(out, "op", byOp, all, steps, top);
    out.flush();
  }

  private static void table(PrintWriter out, String what, Map<String, Total> totals, long all,
      int steps, int top) {
    List<Map.Entry<String, Total>> sorted = totals.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, Total> e) -> e.getValue().nanos)
            .reversed())
        .limit(top).toList();
    for (Map.Entry<String, Total> e : sorted) {
      out.printf(Locale.ROOT, "  %-7s %6.1f%% %9.1f ms/step %6d calls/step  %s%n", what,
          100.0 * e.getValue().nanos / all, e.getValue().nanos / 1e6 / steps,
          e.getValue().calls / steps, e.getKey());
    }
  }
}

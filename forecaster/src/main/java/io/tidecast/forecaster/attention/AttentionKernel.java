package io.tidecast.forecaster.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An attention kernel: given queries, keys and values per head, the attended values.
 *
 * <p>Shapes: queries {@code [batch, heads, Lq, headDim]}, keys and values
 * {@code [batch, heads, Lk, headDim]}, result {@code [batch, heads, Lq, headDim]}. Causal means that
 * query {@code i} sees keys {@code j <= i + (Lk - Lq)}: positions aligned at the end, so a single
 * query over a window sees the whole window.
 *
 * <p>Every kernel has two forms that compute the same function: {@link #attend} on arrays, for
 * inference on many windows per call, and {@link #build} in a SameDiff graph, for training.
 */
public interface AttentionKernel {

  /** A name for reports and checkpoints, such as {@code full} or {@code prob}. */
  String name();

  /**
   * Attends eagerly. The inputs are not modified.
   *
   * @param scale the factor on the scores, usually {@code 1/sqrt(headDim)}; 1 when it is already
   *     folded into the queries
   */
  INDArray attend(INDArray q, INDArray k, INDArray v, boolean causal, double scale);

  /**
   * Adds this kernel to a training graph. The batch dimension may be unknown (-1); the other sizes
   * are fixed by the arguments.
   */
  SDVariable build(AttentionGraph graph, String name, SDVariable q, SDVariable k, SDVariable v,
      AttentionShape shape, boolean causal, double scale);
}

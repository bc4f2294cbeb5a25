package io.tidecast.forecaster.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training form of {@link ProbSparseAttention}: the same function as a SameDiff graph.
 *
 * <p>The key samples come in through a placeholder ({@link AttentionGraph}). The selection is
 * computed in the graph but carries no gradient (stop-gradient, then top-k indices); gathers and
 * scatters of rows are one-hot matmuls and the cumulative sum a triangular matmul, since those are
 * the forms whose gradients ND4J computes correctly.
 */
final class ProbSparseGraph {

  private ProbSparseGraph() {}

  static SDVariable build(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, double scale, int factor, long seed) {
    SameDiff sd = graph.sameDiff();
    int heads = shape.heads();
    int lq = shape.queries();
    int lk = shape.keys();
    int dim = shape.headDim();
    int perQuery = ProbSparseAttention.topCount(factor, lk);
    int active = ProbSparseAttention.topCount(factor, lq);

    // Selection: sparsity of every query over its sampled keys; no gradient flows through it.
    SDVariable positions = graph.keySamples(name + "/keySamples", lq, lk, perQuery, seed);
    SDVariable sampled = sd.reshape(sd.gather(k, positions, 2), -1, heads, lq, perQuery, dim);
    SDVariable products = sd.reshape(
        sd.mmul(sd.reshape(q, -1, heads, lq, 1, dim), sampled, false, true, false),
        -1, heads, lq, perQuery); // [batch, heads, Lq, samples]
    SDVariable sparsity = products.max(3).sub(products.sum(3).div(lk)); // [batch, heads, Lq]
    sparsity = new StopGradient(sd, sparsity).outputVariable();
    SDVariable top = TopKIndices.of(sd, sparsity, active); // [batch, heads, u]
    SDVariable select = sd.oneHot(top, lq, -1, 1.0, 0.0, graph.dataType()); // [b, h, u, Lq]

    // The active queries attend to every key.
    SDVariable scores = sd.mmul(sd.mmul(select, q), k, false, true, false).mul(scale);
    if (causal) {
      SDVariable future = sd.constant(name + "/future", futureIndicator(lq, graph.dataType()));
      SDVariable masked = sd.reshape(sd.mmul(sd.reshape(select, -1, lq), future),
          -1, heads, active, lk);
      scores = scores.add(masked.mul(Masks.MASKED));
    }
    SDVariable attended = sd.mmul(sd.nn().softmax(scores, 3), v); // [batch, heads, u, headDim]

    // Lazy queries keep the initial context; active rows are replaced by their attention.
    SDVariable initial = causal ? cumulativeSum(graph, name, v, heads, lq, dim) : v.mean(true, 2);
    SDVariable chosen = sd.reshape(select.sum(2), -1, heads, lq, 1); // 1 where active
    SDVariable lazy = initial.mul(chosen.rsub(1.0));
    return lazy.add(name, sd.mmul(select, attended, true, false, false));
  }

  /** {@code [L, L]}: 1 where key {@code j} lies after query {@code i}. */
  private static INDArray futureIndicator(int length, DataType type) {
    double[] future = new double[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j < length; j++) {
        future[i * length + j] = 1;
      }
    }
    return Nd4j.createFromArray(future).reshape(length, length).castTo(type);
  }

  /** Cumulative sum of V along time, as a matmul with lower-triangular ones (exact gradient). */
  private static SDVariable cumulativeSum(AttentionGraph graph, String name, SDVariable v,
      int heads, int length, int dim) {
    SameDiff sd = graph.sameDiff();
    SDVariable lower = sd.constant(name + "/lowerOnes",
        Nd4j.createFromArray(Masks.lowerOnes(length)).reshape(length, length)
            .castTo(graph.dataType()));
    SDVariable timeFirst = sd.reshape(sd.permute(v, 2, 0, 1, 3), length, -1); // [L, b*h*d]
    SDVariable summed = sd.reshape(sd.mmul(lower, timeFirst), length, -1, heads, dim);
    return sd.permute(summed, 1, 2, 0, 3); // [batch, heads, L, headDim]
  }
}

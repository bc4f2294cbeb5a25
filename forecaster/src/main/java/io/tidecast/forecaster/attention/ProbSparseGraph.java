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
 * computed in the graph but carries no gradient (stop-gradient, then top-k indices). The graph
 * scores every query against every key once ({@code [batch, heads, Lq, Lk]}): the sampled scores
 * for the selection are read from it through a count matrix, and the active rows are kept with a
 * 0/1 row mask, so no gather or scatter is needed (ND4J's gather gradient is broken) and no
 * per-query copy of the sampled keys is made. The result equals the sparse computation; only the
 * eager form ({@link ProbSparseAttention}) skips the lazy rows' arithmetic. The cumulative sum is
 * a triangular matmul, whose gradient is exact.
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

    // One dense score matrix serves the selection and the attention of the active rows: at
    // training lengths it costs far less memory than gathering the sampled keys per query.
    // The scale is applied to Q (small) rather than to the scores; it does not change which
    // queries are selected.
    SDVariable scaled = q.mul(scale);
    SDVariable scores = sd.mmul(scaled, k, false, true, false); // [batch, heads, Lq, Lk]

    // Selection: sparsity of every query over its sampled keys (a key drawn twice counts twice
    // in the sum, as in the reference); no gradient flows through it. The sum of the sampled
    // scores is q . (C K) with C the draw counts, which needs no second [Lq, Lk] array per head.
    SDVariable positions = graph.keySamples(name + "/keySamples", lq, lk, perQuery, seed);
    SDVariable counts = sd.reshape(sd.oneHot(positions, lk, -1, 1.0, 0.0, graph.dataType()),
        lq, perQuery, lk).sum(1); // [Lq, Lk]: how often each key was drawn for each query
    SDVariable unsampled = sd.lte(counts, sd.constant(0.0).castTo(graph.dataType()))
        .castTo(graph.dataType()).mul(Masks.MASKED); // [Lq, Lk]: 0 where sampled
    SDVariable sampledSum = scaled.mul(alongTime(sd, counts, k, heads, lk, lq, dim)).sum(3);
    SDVariable sparsity = scores.add(unsampled).max(3).sub(sampledSum.div(lk));
    sparsity = new StopGradient(sd, sparsity).outputVariable();
    SDVariable top = TopKIndices.of(sd, sparsity, active); // [batch, heads, u]
    SDVariable chosen = sd.reshape(sd.oneHot(top, lq, -1, 1.0, 0.0, graph.dataType()).sum(2),
        -1, heads, lq, 1); // 1 where active

    // Every row's attention is computed; only the active rows keep theirs.
    if (causal) {
      scores = scores.add(sd.constant(name + "/future",
          futureIndicator(lq, graph.dataType()).muli(Masks.MASKED)));
    }
    SDVariable attended = sd.mmul(sd.nn().softmax(scores, 3), v); // [batch, heads, Lq, headDim]

    // Lazy queries keep the initial context.
    SDVariable initial = causal ? cumulativeSum(graph, name, v, heads, lq, dim) : v.mean(true, 2);
    return initial.mul(chosen.rsub(1.0)).add(name, attended.mul(chosen));
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
    SDVariable lower = graph.sameDiff().constant(name + "/lowerOnes",
        Nd4j.createFromArray(Masks.lowerOnes(length)).reshape(length, length)
            .castTo(graph.dataType()));
    return alongTime(graph.sameDiff(), lower, v, heads, length, length, dim);
  }

  /**
   * {@code matrix [Lout, Lin]} applied along the time axis of {@code x [batch, heads, Lin, dim]}:
   * {@code [batch, heads, Lout, dim]}, as one 2-D matmul (a 2-D by 4-D matmul does not broadcast).
   */
  private static SDVariable alongTime(SameDiff sd, SDVariable matrix, SDVariable x, int heads,
      int lin, int lout, int dim) {
    SDVariable timeFirst = sd.reshape(sd.permute(x, 2, 0, 1, 3), lin, -1); // [Lin, b*h*d]
    SDVariable mixed = sd.reshape(sd.mmul(matrix, timeFirst), lout, -1, heads, dim);
    return sd.permute(mixed, 1, 2, 0, 3);
  }
}

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
 * computed in the graph but carries no gradient (stop-gradient, then top-k indices). ND4J's gather
 * gradient is broken, so everything that needs a gradient avoids it: row selection and scatter are
 * one-hot matmuls or 0/1 row masks. The causal running sum is a matmul with lower-triangular ones.
 * Two layouts compute the same result:
 *
 * <ul>
 *   <li>up to {@code denseScoringMaxKeys} keys (the eager form's threshold too), one dense score
 *       matrix {@code [batch, heads, Lq, Lk]} serves both the selection (the sampled scores are read
 *       through a matrix of draw counts) and the attention of every row, of which the active ones
 *       are kept. At these lengths that is cheaper in time and memory than per-query copies of the
 *       sampled keys;
 *   <li>above it, the sampled keys are gathered a few samples at a time (forward only) for the
 *       selection, and only the {@code u} active rows attend, which keeps memory linear in the
 *       length where the dense matrix would grow with its square (720 x 720 per head at input
 *       720).
 * </ul>
 */
final class ProbSparseGraph {

  /** Sampled keys gathered per block when scoring the queries: a block stays a few megabytes. */
  static final int SAMPLES_PER_GATHER = 4;

  private ProbSparseGraph() {}

  static SDVariable build(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, double scale, int factor, long seed,
      int denseScoringMaxKeys) {
    SameDiff sd = graph.sameDiff();
    int lq = shape.queries();
    int lk = shape.keys();
    int perQuery = ProbSparseAttention.topCount(factor, lk);
    SDVariable positions = graph.keySamples(name + "/keySamples", lq, lk, perQuery, seed);
    // The scale goes on Q (small), not on the scores; it does not change the selection.
    SDVariable scaled = q.mul(scale);
    return lk <= denseScoringMaxKeys
        ? dense(graph, name, scaled, k, v, shape, causal, factor, positions, perQuery)
        : sparse(graph, name, scaled, k, v, shape, causal, factor, positions, perQuery);
  }

  private static SDVariable dense(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, int factor, SDVariable positions,
      int perQuery) {
    SameDiff sd = graph.sameDiff();
    int heads = shape.heads();
    int lq = shape.queries();
    int lk = shape.keys();
    SDVariable scores = sd.mmul(q, k, false, true, false); // [batch, heads, Lq, Lk]

    // Sparsity of every query over its sampled keys (a key drawn twice counts twice in the sum,
    // as in the reference). The sum of the sampled scores is q . (C K) with C the draw counts.
    SDVariable counts = sd.reshape(sd.oneHot(positions, lk, -1, 1.0, 0.0, graph.dataType()),
        lq, perQuery, lk).sum(1); // [Lq, Lk]
    SDVariable unsampled = sd.lte(counts, sd.constant(0.0).castTo(graph.dataType()))
        .castTo(graph.dataType()).mul(Masks.MASKED); // [Lq, Lk]: 0 where sampled
    SDVariable sampledSum = q.mul(alongTime(sd, counts, k, heads, lk, lq, shape.headDim()))
        .sum(3);
    SDVariable sparsity = new StopGradient(sd,
        scores.add(unsampled).max(3).sub(sampledSum.div(lk))).outputVariable();
    SDVariable top = TopKIndices.of(sd, sparsity, ProbSparseAttention.topCount(factor, lq), lq);
    SDVariable chosen = spreadRows(graph, name,
        sd.oneHot(top, lq, -1, 1.0, 0.0, graph.dataType()).sum(2), shape); // 1 where active

    if (causal) {
      scores = scores.add(sd.constant(name + "/future",
          futureIndicator(lq, graph.dataType()).muli(Masks.MASKED)));
    }
    SDVariable attended = sd.mmul(sd.nn().softmax(scores, 3), v); // [batch, heads, Lq, headDim]
    SDVariable initial = initialContext(graph, name, v, shape, causal);
    return initial.mul(chosen.rsub(1.0)).add(name, attended.mul(chosen));
  }

  private static SDVariable sparse(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, int factor, SDVariable positions,
      int perQuery) {
    SameDiff sd = graph.sameDiff();
    int heads = shape.heads();
    int lq = shape.queries();
    int lk = shape.keys();
    int dim = shape.headDim();
    int active = ProbSparseAttention.topCount(factor, lq);

    // Selection from the sampled keys; no gradient flows through it.
    SDVariable sparsity = new StopGradient(sd,
        sampledSparsity(sd, q, k, positions, shape, perQuery)).outputVariable();
    SDVariable top = TopKIndices.of(sd, sparsity, active, lq); // [batch, heads, u]
    SDVariable select = sd.oneHot(top, lq, -1, 1.0, 0.0, graph.dataType()); // [b, h, u, Lq]

    // Only the active queries attend to every key.
    SDVariable scores = sd.mmul(sd.mmul(select, q), k, false, true, false); // [b, h, u, Lk]
    if (causal) {
      // masked where the key lies after the active query's position: a comparison, where a
      // one-hot matmul with the future indicator costs u x Lq x Lk per batch and head
      SDVariable keyIndex = sd.constant(name + "/keyIndex",
          Nd4j.arange(lk).reshape(1, lk).castTo(graph.dataType()));
      SDVariable queryIndex = sd.reshape(top.castTo(graph.dataType()), -1, heads, active, 1);
      SDVariable masked = sd.gt(keyIndex, queryIndex).castTo(graph.dataType()); // [b, h, u, Lk]
      scores = scores.add(masked.mul(Masks.MASKED));
    }
    SDVariable attended = sd.mmul(sd.nn().softmax(scores, 3), v); // [batch, heads, u, headDim]

    SDVariable chosen = spreadRows(graph, name, select.sum(2), shape); // 1 where active
    SDVariable initial = initialContext(graph, name, v, shape, causal);
    return initial.mul(chosen.rsub(1.0))
        .add(name, sd.mmul(select, attended, true, false, false));
  }

  /**
   * {@code M} of every query over its sampled keys, {@code [batch, heads, Lq]}, a few samples at
   * a time in the time-first layout of the eager form: each gather copies whole rows of
   * {@code batch * heads * headDim} values, and each block of gathered keys stays a few
   * megabytes. Gathering every sample at once made one array of {@code Lq * samples} keys (110 MB
   * for a micro-batch of 8 at a 768-step decoder), above the C library's mmap limit and so fresh
   * memory on every call, and its dot products a batch of {@code batch * heads * Lq} tiny matmuls
   * ({@code docs/benchmarks.md}).
   */
  private static SDVariable sampledSparsity(SameDiff sd, SDVariable q, SDVariable k,
      SDVariable positions, AttentionShape shape, int perQuery) {
    int heads = shape.heads();
    int lq = shape.queries();
    int lk = shape.keys();
    int dim = shape.headDim();
    SDVariable keysByTime = timeFirst(sd, k, lk); // [Lk, b*h*d]
    SDVariable queries = sd.reshape(timeFirst(sd, q, lq), 1, -1, dim); // [1, Lq*b*h, d]
    // sample-major: the s-th sample of every query is one contiguous run of Lq positions
    SDVariable bySample = sd.reshape(sd.permute(sd.reshape(positions, lq, perQuery), 1, 0), -1);
    SDVariable max = null;
    SDVariable sum = null;
    for (int from = 0; from < perQuery; from += SAMPLES_PER_GATHER) {
      int count = Math.min(SAMPLES_PER_GATHER, perQuery - from);
      SDVariable part = sd.stridedSlice(bySample, new long[] {(long) from * lq},
          new long[] {(long) (from + count) * lq}, new long[] {1});
      SDVariable keys = sd.reshape(sd.gather(keysByTime, part, 0), count, -1, dim);
      SDVariable products = keys.mul(queries).sum(2); // [count, Lq*b*h]
      SDVariable partMax = products.max(0);
      SDVariable partSum = products.sum(0);
      max = max == null ? partMax : sd.math().max(max, partMax);
      sum = sum == null ? partSum : sum.add(partSum);
    }
    SDVariable m = sd.reshape(max.sub(sum.div(lk)), lq, -1, heads); // [Lq, b, h]
    return sd.permute(m, 1, 2, 0);
  }

  /**
   * What a lazy query returns, {@code [batch, heads, Lq, headDim]}: the mean of V, or with the
   * causal mask its cumulative sum. The mean comes spread over every query row (a matmul with a
   * matrix of {@code 1 / Lk}), so that it meets the mask of lazy rows in a product of equal shapes:
   * the gradient of a broadcast product is slow here ({@code docs/nd4j.md}).
   */
  private static SDVariable initialContext(AttentionGraph graph, String name, SDVariable v,
      AttentionShape shape, boolean causal) {
    SameDiff sd = graph.sameDiff();
    int lq = shape.queries();
    int lk = shape.keys();
    if (causal) {
      return cumulativeSum(sd, name, v, shape.heads(), lq, shape.headDim(), graph.dataType());
    }
    SDVariable averaging = sd.constant(name + "/averaging",
        Nd4j.valueArrayOf(new long[] {lq, lk}, 1.0 / lk, graph.dataType()));
    return alongTime(sd, averaging, v, shape.heads(), lk, lq, shape.headDim());
  }

  /**
   * A 0/1 mask of query rows {@code [batch, heads, Lq]} spread to {@code [batch, heads, Lq,
   * headDim]} by a one-column matmul, so that it multiplies arrays of its own shape. The mask
   * carries no gradient.
   */
  private static SDVariable spreadRows(AttentionGraph graph, String name, SDVariable rows,
      AttentionShape shape) {
    SameDiff sd = graph.sameDiff();
    int dim = shape.headDim();
    SDVariable ones = sd.constant(name + "/onesRow", Nd4j.ones(graph.dataType(), 1, dim));
    return sd.reshape(sd.mmul(sd.reshape(rows, -1, 1), ones), -1, shape.heads(),
        shape.queries(), dim);
  }

  /**
   * Cumulative sum of V along time: lower-triangular ones {@code [L, L]} times the time-first
   * {@code [L, batch * heads * dim]}, one 2-D matmul (BLAS). ND4J's {@code cumsum} op is
   * cheaper at long decoders but leaks about a quarter of its output's size in native memory on
   * every call, forward and gradient, which over a training run grew the process by gigabytes
   * ({@code docs/nd4j.md}).
   */
  private static SDVariable cumulativeSum(SameDiff sd, String name, SDVariable v, int heads,
      int length, int dim, DataType type) {
    SDVariable lower = sd.constant(name + "/runningSum", Masks.lowerOnesMatrix(length, type));
    return alongTime(sd, lower, v, heads, length, length, dim);
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

  /** {@code x [batch, heads, L, dim]} laid out time-first: {@code [L, batch * heads * dim]}. */
  private static SDVariable timeFirst(SameDiff sd, SDVariable x, int length) {
    return sd.reshape(sd.permute(x, 2, 0, 1, 3), length, -1);
  }

  /**
   * {@code matrix [Lout, Lin]} applied along the time axis of {@code x [batch, heads, Lin, dim]}:
   * {@code [batch, heads, Lout, dim]}, as one 2-D matmul (a 2-D by 4-D matmul does not broadcast).
   */
  private static SDVariable alongTime(SameDiff sd, SDVariable matrix, SDVariable x, int heads,
      int lin, int lout, int dim) {
    SDVariable mixed = sd.reshape(sd.mmul(matrix, timeFirst(sd, x, lin)), lout, -1, heads, dim);
    return sd.permute(mixed, 1, 2, 0, 3);
  }
}

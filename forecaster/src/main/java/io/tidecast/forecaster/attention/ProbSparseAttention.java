package io.tidecast.forecaster.attention;

import io.tidecast.forecaster.DenseArrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ProbSparse self-attention (Informer, Zhou et al. 2021).
 *
 * <ol>
 *   <li>Sample {@code factor * ceil(ln Lk)} keys per query (capped at {@code Lk}), uniformly with
 *       replacement, the same positions for every batch element and head.
 *   <li>Score each query by its sparsity {@code M = max_j(q k_j) - sum_j(q k_j) / Lk} over its
 *       sampled keys.
 *   <li>Keep the {@code u = factor * ceil(ln Lq)} highest-scoring queries (capped at {@code Lq}) and
 *       attend them to every key, the scale applied after the selection.
 *   <li>Every other query gets the mean of V, or when causal the cumulative sum of V up to its
 *       position (which needs {@code Lq == Lk}).
 * </ol>
 *
 * <p>The samples come from the kernel's seed, so the eager form is a pure function of its inputs.
 * Scores cost O(Lq log Lk + u Lk) per head instead of O(Lq Lk).
 */
public final class ProbSparseAttention implements AttentionKernel {

  /**
   * Where dense scoring stops paying: on the 2-core CPU measured, the sampled path's five ops per
   * sample cost more than the O(Lq Lk) products up to about this many keys, and less beyond it
   * (see docs/benchmarks.md).
   */
  public static final int DENSE_SCORING_MAX_KEYS = 256;

  private final int factor;
  private final long seed;
  private final int denseScoringMaxKeys;

  public ProbSparseAttention(int factor, long seed) {
    this(factor, seed, DENSE_SCORING_MAX_KEYS);
  }

  /**
   * @param denseScoringMaxKeys up to this many keys, the eager form takes the sampled products
   *     from the dense {@code Q K^T} (same values, one matmul read in place); above it, it gathers
   *     the sampled keys (O(Lq log Lk) work, about five ops per sample)
   */
  public ProbSparseAttention(int factor, long seed, int denseScoringMaxKeys) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1: " + factor);
    }
    this.factor = factor;
    this.seed = seed;
    this.denseScoringMaxKeys = denseScoringMaxKeys;
  }

  public int factor() {
    return factor;
  }

  public long seed() {
    return seed;
  }

  @Override
  public String name() {
    return "prob";
  }

  /** {@code factor * ceil(ln length)}, capped at {@code length}: sampled keys or active queries. */
  public static int topCount(int factor, int length) {
    return (int) Math.min(length, (long) factor * (long) Math.ceil(Math.log(length)));
  }

  /** Flat {@code [queries * perQuery]} key positions, each uniform in {@code [0, keys)}. */
  public static int[] sampleKeys(int queries, int keys, int perQuery, SplittableRandom random) {
    int[] sample = new int[queries * perQuery];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = random.nextInt(keys);
    }
    return sample;
  }

  @Override
  public INDArray attend(INDArray q, INDArray k, INDArray v, boolean causal, double scale) {
    Sizes z = new Sizes(q.size(0), q.size(1), (int) q.size(2), (int) k.size(2), q.size(3));
    requireCausalSquare(causal, z.lq(), z.lk());
    int perQuery = topCount(factor, z.lk());
    int[] sample = sampleKeys(z.lq(), z.lk(), perQuery, new SplittableRandom(seed));
    int active = topCount(factor, z.lq());
    double[] sparsity = z.lk() <= denseScoringMaxKeys
        ? denseSparsity(q, k, z, sample, perQuery)
        : sparsity(q, k, sample, perQuery);
    int[] rows = topRows(sparsity, z.groups(), z.lq(), active); // into [batch * heads * Lq]
    return attendActive(q, k, v, causal, scale, z, rows, active);
  }

  /** The sizes of one eager call; a group is one (batch element, head) pair. */
  private record Sizes(long batch, long heads, int lq, int lk, long dim) {
    int groups() {
      return (int) (batch * heads);
    }
  }

  /**
   * Attends only the {@code active} queries of each group (flat {@code rows}) to every key; every
   * other query gets the lazy context. Softmax and the weighted sum run over {@code u} rows of a
   * group, not {@code Lq}.
   */
  private static INDArray attendActive(INDArray q, INDArray k, INDArray v, boolean causal,
      double scale, Sizes z, int[] rows, int active) {
    int groups = z.groups();
    int lq = z.lq();
    int lk = z.lk();
    long dim = z.dim();
    INDArray qActive = takeRows(q.reshape((long) groups * lq, dim), rows)
        .reshape(groups, active, dim);
    INDArray scores = Nd4j.matmul(qActive, k.reshape(groups, lk, dim), false, true, false);
    if (scale != 1) {
      scores.muli(scale); // [groups, u, Lk]
    }
    if (causal) {
      scores.addi(futureMask(rows, lq, lk, active, scores.dataType()));
    }
    Nd4j.exec(new SoftMax(scores, scores, 2));
    INDArray attended = Nd4j.matmul(scores, v.reshape(groups, lk, dim)); // [groups, u, headDim]
    INDArray context = lazyContext(v, causal, lq).reshape((long) groups * lq, dim);
    DenseArrays.putRows(context, rows, attended.reshape((long) groups * active, dim));
    return context.reshape(z.batch(), z.heads(), lq, dim);
  }

  /** Rows of {@code source [n, dim]}: copied in bulk for float, through ND4J's gather otherwise. */
  private static INDArray takeRows(INDArray source, int[] rows) {
    return source.dataType() == DataType.FLOAT
        ? DenseArrays.takeRows(source, rows)
        : Nd4j.exec(new Gather(source, Nd4j.createFromArray(rows), 0))[0];
  }

  /** What a lazy query gets, {@code [batch, heads, Lq, headDim]}: mean of V, or its running sum. */
  private static INDArray lazyContext(INDArray v, boolean causal, int lq) {
    if (causal) {
      // A running sum along time as one matmul with lower-triangular ones. (ND4J's cumsum op
      // leaks about 12 KB of native memory per call, which a serve loop turns into steady growth.)
      long groups = v.size(0) * v.size(1);
      long dim = v.size(3);
      INDArray timeFirst = v.reshape(groups, lq, dim).permute(1, 0, 2).dup('c')
          .reshape(lq, groups * dim);
      INDArray sums = Nd4j.matmul(Masks.lowerOnesMatrix(lq, v.dataType()), timeFirst);
      return sums.reshape(lq, groups, dim).permute(1, 0, 2).dup('c')
          .reshape(v.size(0), v.size(1), lq, dim);
    }
    INDArray context = Nd4j.createUninitialized(v.dataType(), v.size(0), v.size(1), lq,
        v.size(3));
    Nd4j.exec(new BroadcastCopyOp(context, v.mean(2), context, 0, 1, 3)); // mean [b, h, headDim]
    return context;
  }

  /**
   * {@code M} for every query, group-major ({@code group * Lq + position}). Q and K are laid out
   * time-first, {@code [L, batch * heads * headDim]}, so that gathering the s-th sampled key of
   * every query copies whole rows; then one dot product per row over {@code headDim} gives that
   * sample's scores for every batch element and head at once. Memory stays at a few copies of K,
   * whatever the number of samples.
   */
  private static double[] sparsity(INDArray q, INDArray k, int[] sample, int perQuery) {
    long groups = q.size(0) * q.size(1);
    int lq = (int) q.size(2);
    long dim = q.size(3);
    int lk = (int) k.size(2);
    INDArray keysByTime = k.permute(2, 0, 1, 3).dup('c').reshape(lk, groups * dim);
    INDArray queriesByTime = q.permute(2, 0, 1, 3).dup('c').reshape(lq * groups, dim);
    // Two buffers reused by every sample: the gathered keys and their dot products with Q.
    INDArray sampled = Nd4j.createUninitialized(k.dataType(), lq, groups * dim);
    INDArray products = Nd4j.createUninitialized(k.dataType(), lq * groups);
    INDArray max = null;
    INDArray sum = null;
    int[] positions = new int[lq];
    for (int s = 0; s < perQuery; s++) {
      for (int i = 0; i < lq; i++) {
        positions[i] = sample[i * perQuery + s];
      }
      Gather gather = new Gather(keysByTime, Nd4j.createFromArray(positions), 0);
      gather.addOutputArgument(sampled);
      Nd4j.exec(gather);
      // one dot product over headDim per query, batch element and head: [Lq * groups]
      Nd4j.getExecutioner().exec(new Dot(sampled.reshape(lq * groups, dim), queriesByTime,
          products, 1));
      if (max == null) {
        max = products.dup();
        sum = products.dup();
      } else {
        Transforms.max(max, products, false);
        sum.addi(products);
      }
    }
    return max.subi(sum.divi(lk)).reshape(lq, groups).transpose().dup('c')
        .reshape(groups * lq).toDoubleVector();
  }

  /**
   * The same {@code M}, group-major, read from all products {@code Q K^T} at the sampled
   * positions (a key drawn twice counts twice in the sum): one matmul, then a pass over
   * {@code Lq * perQuery} products per group in the array's own memory.
   */
  private static double[] denseSparsity(INDArray q, INDArray k, Sizes z, int[] sample,
      int perQuery) {
    int groups = z.groups();
    int lq = z.lq();
    int lk = z.lk();
    INDArray products = Nd4j.matmul(q.reshape(groups, lq, z.dim()),
        k.reshape(groups, lk, z.dim()), false, true, false); // [groups, Lq, Lk], row-major
    IntToDoubleFunction at = DenseArrays.reader(products);
    double[] m = new double[groups * lq];
    for (int g = 0; g < groups; g++) {
      for (int i = 0; i < lq; i++) {
        int row = (g * lq + i) * lk;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int s = i * perQuery, end = s + perQuery; s < end; s++) {
          double p = at.applyAsDouble(row + sample[s]);
          max = Math.max(max, p);
          sum += p;
        }
        m[g * lq + i] = max - sum / lk;
      }
    }
    return m;
  }

  /**
   * For each group of the group-major {@code m}, the {@code active} largest, as flat row indices
   * {@code group * lq + position}; ties go to the earlier position.
   */
  static int[] topRows(double[] m, int groups, int lq, int active) {
    int[] rows = new int[groups * active];
    int[] best = new int[active];
    for (int g = 0; g < groups; g++) {
      int base = g * lq;
      int filled = 0;
      // best[] is kept sorted by descending score: insertion into a list of at most u entries.
      for (int p = 0; p < lq; p++) {
        double score = m[base + p];
        if (filled == active && !(score > m[base + best[active - 1]])) {
          continue;
        }
        int at = filled == active ? active - 1 : filled++;
        while (at > 0 && score > m[base + best[at - 1]]) {
          best[at] = best[at - 1];
          at--;
        }
        best[at] = p;
      }
      for (int i = 0; i < active; i++) {
        rows[g * active + i] = base + best[i];
      }
    }
    return rows;
  }

  /**
   * {@code [groups, u, Lk]}: masked where a key lies after the active query's position; the rows
   * of the cached causal mask at those positions.
   */
  private static INDArray futureMask(int[] rows, int lq, int lk, int active, DataType type) {
    int[] positions = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      positions[r] = rows[r] % lq;
    }
    return Nd4j.exec(new Gather(Masks.causal(lq, lk, type), DenseArrays.ints(positions), 0))[0]
        .reshape(rows.length / active, active, lk);
  }

  private static void requireCausalSquare(boolean causal, int lq, int lk) {
    if (causal && lq != lk) {
      throw new IllegalArgumentException(
          "causal ProbSparse attention needs as many queries as keys: " + lq + " vs " + lk);
    }
  }

  @Override
  public SDVariable build(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, double scale) {
    requireCausalSquare(causal, shape.queries(), shape.keys());
    return ProbSparseGraph.build(graph, name, q, k, v, shape, causal, scale, factor, seed,
        denseScoringMaxKeys);
  }
}

package io.tidecast.forecaster.attention;

import io.tidecast.forecaster.InferenceWorkspace;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
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
  private final Map<String, INDArray[]> sampleMasks = new ConcurrentHashMap<>();

  public ProbSparseAttention(int factor, long seed) {
    this(factor, seed, DENSE_SCORING_MAX_KEYS);
  }

  /**
   * @param denseScoringMaxKeys up to this many keys, the eager form takes the sampled products
   *     from the dense {@code Q K^T} (same values, a handful of large ops); above it, it gathers
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
    return z.lk() <= denseScoringMaxKeys
        ? attendDense(q, k, v, causal, scale, z, sample, perQuery, active)
        : attendSampled(q, k, v, causal, scale, z, sample, perQuery, active);
  }

  /** The sizes of one eager call; a group is one (batch element, head) pair. */
  private record Sizes(long batch, long heads, int lq, int lk, long dim) {
    int groups() {
      return (int) (batch * heads);
    }
  }

  /**
   * Short windows: one {@code Q K^T} serves both the scoring and the attention of every query;
   * the active rows are kept and the lazy rows replaced by masking, with no gather or scatter.
   */
  private INDArray attendDense(INDArray q, INDArray k, INDArray v, boolean causal, double scale,
      Sizes z, int[] sample, int perQuery, int active) {
    int groups = z.groups();
    int lq = z.lq();
    int lk = z.lk();
    long dim = z.dim();
    INDArray products = Nd4j.matmul(q.reshape(groups, lq, dim), k.reshape(groups, lk, dim),
        false, true, false); // [groups, Lq, Lk]
    INDArray sparsity = denseSparsity(products, sample, perQuery, lq, lk); // [groups, Lq]
    int[] rows = topRows(sparsity.transpose(), groups, lq, active);
    double[] chosen = new double[groups * lq];
    for (int row : rows) {
      chosen[row] = 1;
    }
    if (scale != 1) {
      products.muli(scale);
    }
    if (causal) {
      Nd4j.exec(new BroadcastAddOp(products, Masks.causal(lq, lk, products.dataType()), products,
          1, 2));
    }
    Nd4j.exec(new SoftMax(products, products, 2));
    INDArray attended = Nd4j.matmul(products, v.reshape(groups, lk, dim)); // [groups, Lq, dim]
    INDArray lazy = lazyContext(v, causal, lq).reshape(groups, lq, dim);
    // context = lazy + chosen * (attended - lazy)
    INDArray picked = Nd4j.createFromArray(chosen).reshape(groups, lq).castTo(q.dataType());
    Nd4j.exec(new BroadcastMulOp(attended.subi(lazy), picked, attended, 0, 1));
    return attended.addi(lazy).reshape(z.batch(), z.heads(), lq, dim);
  }

  /** Long windows: gather the sampled keys, then attend only the active queries. */
  private INDArray attendSampled(INDArray q, INDArray k, INDArray v, boolean causal,
      double scale, Sizes z, int[] sample, int perQuery, int active) {
    int groups = z.groups();
    int lq = z.lq();
    int lk = z.lk();
    long dim = z.dim();
    INDArray sparsity = sparsity(q, k, sample, perQuery); // [Lq, batch * heads]
    int[] rows = topRows(sparsity, groups, lq, active); // into [batch * heads * Lq]

    INDArray qActive = Nd4j.exec(new Gather(q.reshape((long) groups * lq, dim),
        Nd4j.createFromArray(rows), 0))[0].reshape(groups, active, dim);
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
    Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ASSIGN, context, Nd4j.createFromArray(rows),
        attended.reshape((long) groups * active, dim), 1);
    return context.reshape(z.batch(), z.heads(), lq, dim);
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
   * {@code M} for every query, {@code [Lq, batch * heads]}. Q and K are laid out time-first,
   * {@code [L, batch * heads * headDim]}, so that gathering the s-th sampled key of every query
   * copies whole rows; then one dot product per row over {@code headDim} gives that sample's scores
   * for every batch element and head at once. Memory stays at a few copies of K, whatever the
   * number of samples.
   */
  private static INDArray sparsity(INDArray q, INDArray k, int[] sample, int perQuery) {
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
    return max.subi(sum.divi(lk)).reshape(lq, groups);
  }

  /**
   * The same {@code M}, {@code [groups, Lq]}, from all products {@code Q K^T}: a count
   * matrix of the samples weights the sum (a key drawn twice counts twice) and a mask keeps the
   * maximum to the sampled keys.
   */
  private INDArray denseSparsity(INDArray products, int[] sample, int perQuery, int lq, int lk) {
    DataType type = products.dataType();
    INDArray[] masks = sampleMasks.computeIfAbsent(lq + "x" + lk + type,
        any -> InferenceWorkspace.outside(() -> sampleMasks(sample, perQuery, lq, lk, type)));
    INDArray scratch = products.ulike();
    Nd4j.exec(new BroadcastMulOp(products, masks[0], scratch, 1, 2));
    INDArray sum = scratch.sum(2);
    Nd4j.exec(new BroadcastAddOp(products, masks[1], scratch, 1, 2));
    return scratch.max(2).subi(sum.divi(lk));
  }

  /** {@code [Lq, Lk]} sample counts, and 0 where sampled, {@link Masks#MASKED} elsewhere. */
  private static INDArray[] sampleMasks(int[] sample, int perQuery, int lq, int lk,
      DataType type) {
    double[] counts = new double[lq * lk];
    double[] unsampled = new double[lq * lk];
    java.util.Arrays.fill(unsampled, Masks.MASKED);
    for (int i = 0; i < lq; i++) {
      for (int s = 0; s < perQuery; s++) {
        int at = i * lk + sample[i * perQuery + s];
        counts[at]++;
        unsampled[at] = 0;
      }
    }
    return new INDArray[] {Nd4j.createFromArray(counts).reshape(lq, lk).castTo(type),
        Nd4j.createFromArray(unsampled).reshape(lq, lk).castTo(type)};
  }

  /**
   * For each group (column of the {@code [Lq, groups]} {@code sparsity}), the {@code active}
   * largest, as flat row indices {@code group * lq + position}; ties go to the earlier position.
   */
  static int[] topRows(INDArray sparsity, int groups, int lq, int active) {
    double[] m = sparsity.transpose().dup('c').reshape((long) groups * lq).toDoubleVector();
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

  /** {@code [groups, u, Lk]}: masked where a key lies after the active query's position. */
  private static INDArray futureMask(int[] rows, int lq, int lk, int active, DataType type) {
    double[] mask = new double[rows.length * lk];
    for (int r = 0; r < rows.length; r++) {
      int position = rows[r] % lq;
      for (int j = position + 1; j < lk; j++) {
        mask[r * lk + j] = Masks.MASKED;
      }
    }
    return Nd4j.createFromArray(mask).reshape(rows.length / active, active, lk).castTo(type);
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

package io.tidecast.forecaster.attention;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
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

  /** Bytes of gathered keys materialised at once while scoring the queries. */
  private static final long GATHER_BUDGET = 64L << 20;

  private final int factor;
  private final long seed;

  public ProbSparseAttention(int factor, long seed) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1: " + factor);
    }
    this.factor = factor;
    this.seed = seed;
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
    int batch = (int) q.size(0);
    int heads = (int) q.size(1);
    int lq = (int) q.size(2);
    int dim = (int) q.size(3);
    int lk = (int) k.size(2);
    requireCausalSquare(causal, lq, lk);
    int perQuery = topCount(factor, lk);
    int active = topCount(factor, lq);
    int groups = batch * heads;
    int[] sample = sampleKeys(lq, lk, perQuery, new SplittableRandom(seed));

    INDArray sparsity = sparsity(q, k, sample, perQuery); // [batch, heads, Lq]
    int[] rows = topRows(sparsity, groups, lq, active); // into [batch * heads * Lq]

    INDArray qActive = Nd4j.exec(new Gather(q.reshape((long) groups * lq, dim),
        Nd4j.createFromArray(rows), 0))[0].reshape(groups, active, dim);
    INDArray keys = k.reshape(groups, lk, dim);
    INDArray values = v.reshape(groups, lk, dim);
    INDArray scores = Nd4j.matmul(qActive, keys, false, true, false); // [groups, u, Lk]
    if (scale != 1) {
      scores.muli(scale);
    }
    if (causal) {
      scores.addi(futureMask(rows, lq, lk, active, scores.dataType()));
    }
    Nd4j.exec(new SoftMax(scores, scores, 2));
    INDArray attended = Nd4j.matmul(scores, values); // [groups, u, headDim]

    INDArray context = causal
        ? Nd4j.exec(new CumSum(v, false, false, 2))[0].reshape((long) groups * lq, dim)
        : v.mean(true, 2).repeat(2, lq).reshape((long) groups * lq, dim);
    Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ASSIGN, context, Nd4j.createFromArray(rows),
        attended.reshape((long) groups * active, dim), 1);
    return context.reshape(batch, heads, lq, dim);
  }

  /**
   * {@code M} for every query, {@code [batch, heads, Lq]}, from the sampled keys, gathered a few
   * samples at a time so that the gathered copy of K stays within {@link #GATHER_BUDGET}.
   */
  private static INDArray sparsity(INDArray q, INDArray k, int[] sample, int perQuery) {
    long batch = q.size(0);
    long heads = q.size(1);
    int lq = (int) q.size(2);
    long dim = q.size(3);
    int lk = (int) k.size(2);
    long bytesPerSample = batch * heads * lq * dim * q.dataType().width();
    int chunk = (int) Math.max(1, Math.min(perQuery, GATHER_BUDGET / bytesPerSample));
    INDArray query = q.reshape(batch, heads, lq, 1, dim);
    INDArray max = null;
    INDArray sum = null;
    for (int from = 0; from < perQuery; from += chunk) {
      int n = Math.min(chunk, perQuery - from);
      int[] positions = new int[lq * n];
      for (int i = 0; i < lq; i++) {
        System.arraycopy(sample, i * perQuery + from, positions, i * n, n);
      }
      INDArray gathered = Nd4j.exec(new Gather(k, Nd4j.createFromArray(positions), 2))[0]
          .reshape(batch, heads, lq, n, dim);
      INDArray products = Nd4j.matmul(query, gathered, false, true, false) // [b, h, Lq, 1, n]
          .reshape(batch, heads, lq, n);
      INDArray chunkMax = products.max(3);
      INDArray chunkSum = products.sum(3);
      max = max == null ? chunkMax : Transforms.max(max, chunkMax, false);
      sum = sum == null ? chunkSum : sum.addi(chunkSum);
    }
    return max.subi(sum.divi(lk));
  }

  /**
   * For each of the {@code groups} rows of {@code sparsity}, the {@code active} largest, as flat row
   * indices {@code group * lq + position}; ties go to the earlier position.
   */
  static int[] topRows(INDArray sparsity, int groups, int lq, int active) {
    double[] m = sparsity.reshape((long) groups * lq).toDoubleVector();
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
    SameDiff sd = graph.sameDiff();
    int heads = shape.heads();
    int lq = shape.queries();
    int lk = shape.keys();
    int dim = shape.headDim();
    requireCausalSquare(causal, lq, lk);
    int perQuery = topCount(factor, lk);
    int active = topCount(factor, lq);

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

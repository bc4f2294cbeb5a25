package io.tidecast.forecaster.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProbSparseAttentionTest {

  private static final SplittableRandom RANDOM = new SplittableRandom(11);

  @Test
  void countsFollowFactorTimesCeilLogCapped() {
    assertThat(ProbSparseAttention.topCount(5, 96)).isEqualTo(25); // ceil(ln 96) = 5
    assertThat(ProbSparseAttention.topCount(5, 48)).isEqualTo(20); // ceil(ln 48) = 4
    assertThat(ProbSparseAttention.topCount(5, 6144)).isEqualTo(45); // ceil(ln 6144) = 9
    assertThat(ProbSparseAttention.topCount(5, 8)).isEqualTo(8); // 15, capped at L
    assertThat(ProbSparseAttention.topCount(1, 8)).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void withEveryQueryActiveItEqualsFullAttention(boolean causal) {
    // factor 5 at L = 8 makes u = L: every query is attended exactly, whatever was sampled.
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray q = ReferenceAttention.array(ReferenceAttention.random(RANDOM, 2, 3, 8, 4), type);
      INDArray k = ReferenceAttention.array(ReferenceAttention.random(RANDOM, 2, 3, 8, 4), type);
      INDArray v = ReferenceAttention.array(ReferenceAttention.random(RANDOM, 2, 3, 8, 4), type);
      INDArray prob = new ProbSparseAttention(5, 3).attend(q, k, v, causal, 0.5);
      INDArray full = FullAttention.INSTANCE.attend(q, k, v, causal, 0.5);
      assertThat(ReferenceAttention.maxAbs(prob.sub(full))).isLessThan(1e-5);
    }
  }

  @Test
  void crossAttentionWithEveryQueryActiveEqualsFullAttention() {
    double[][][][] q = ReferenceAttention.random(RANDOM, 2, 2, 8, 3);
    double[][][][] k = ReferenceAttention.random(RANDOM, 2, 2, 20, 3);
    double[][][][] v = ReferenceAttention.random(RANDOM, 2, 2, 20, 3);
    INDArray prob = new ProbSparseAttention(5, 3).attend(ReferenceAttention.array(q, DataType.FLOAT),
        ReferenceAttention.array(k, DataType.FLOAT), ReferenceAttention.array(v, DataType.FLOAT),
        false, 0.7);
    assertThat(ReferenceAttention.maxAbsDiff(prob, ReferenceAttention.full(q, k, v, false, 0.7)))
        .isLessThan(1e-5);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sparseCaseMatchesThePlainReference(boolean causal) {
    // L = 40, factor 2: 2 * ceil(ln 40) = 8 sampled keys and 8 active queries of 40.
    double[][][][] q = ReferenceAttention.random(RANDOM, 2, 3, 40, 5);
    double[][][][] k = ReferenceAttention.random(RANDOM, 2, 3, 40, 5);
    double[][][][] v = ReferenceAttention.random(RANDOM, 2, 3, 40, 5);
    long seed = 99;
    int[] sample = ProbSparseAttention.sampleKeys(40, 40, 8, new SplittableRandom(seed));
    double[][][][] expected = ReferenceAttention.probSparse(q, k, v, causal, 0.3, 2, sample);
    // Both ways of scoring the queries: from the dense products, and from gathered samples.
    for (int denseUpTo : new int[] {ProbSparseAttention.DENSE_SCORING_MAX_KEYS, 0}) {
      INDArray actual = new ProbSparseAttention(2, seed, denseUpTo).attend(
          ReferenceAttention.array(q, DataType.DOUBLE), ReferenceAttention.array(k, DataType.DOUBLE),
          ReferenceAttention.array(v, DataType.DOUBLE), causal, 0.3);
      assertThat(ReferenceAttention.maxAbsDiff(actual, expected)).isLessThan(1e-12);
    }
    INDArray actual = new ProbSparseAttention(2, seed).attend(
        ReferenceAttention.array(q, DataType.DOUBLE), ReferenceAttention.array(k, DataType.DOUBLE),
        ReferenceAttention.array(v, DataType.DOUBLE), causal, 0.3);
    // and lazy rows really are lazy: the sparse result differs from full attention
    assertThat(ReferenceAttention.maxAbsDiff(actual, ReferenceAttention.full(q, k, v, causal, 0.3)))
        .isGreaterThan(1e-3);
  }

  @Test
  void handComputedCaseOfLengthEight() {
    // One head of width 1, so q . k is a product. factor 1: 3 sampled keys, 3 active queries.
    double[] q = {1, 2, 3, 4, -1, 0, 2, 1};
    double[] k = {1, 0, 2, 1, -1, 1, 0, 2};
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
    // Seed 42 draws these keys per query (SplittableRandom is specified, so they never change).
    int[] sample = ProbSparseAttention.sampleKeys(8, 8, 3, new SplittableRandom(42));
    assertThat(sample).containsExactly(
        6, 1, 2, 0, 3, 7, 0, 6, 1, 4, 3, 6, 6, 5, 0, 3, 1, 2, 0, 1, 5, 3, 5, 2);
    // M_i = max(q_i k_s) - sum(q_i k_s) / 8, e.g. query 3: products 4*(-1), 4*1, 4*0 -> 4 - 0/8 = 4;
    // query 1: 2*1, 2*1, 2*2 -> 4 - 8/8 = 3; query 2: 3*1, 3*0, 3*0 -> 3 - 3/8 = 2.625.
    double[][][][] q4 = column(q);
    double[][][][] k4 = column(k);
    double[] m = ReferenceAttention.sparsity(q4, k4, sample, 3)[0][0];
    assertThat(m).containsExactly(new double[] {1.75, 3.0, 2.625, 4.0, 0.25, 0.0, 1.5, 1.5},
        within(1e-12));
    assertThat(ReferenceAttention.top(m, 3)).containsExactly(3, 1, 2);
    // Active rows: softmax over q_i * k of v; e.g. query 1 (scores 2,0,4,2,-2,2,0,4) gives 5.18009.
    // Lazy rows: the mean of v, 4.5; with the mask, the running sum 1, 3, 6, ... instead.
    double[] unmasked = {4.5, 5.18009094449353, 5.370570630426463, 5.450667042253811,
        4.5, 4.5, 4.5, 4.5};
    double[] masked = {1, 1.1192029220221174, 2.9030160564755554, 2.9820137900379087,
        15, 21, 28, 36};
    INDArray[] qkv = {ReferenceAttention.array(q4, DataType.DOUBLE),
        ReferenceAttention.array(k4, DataType.DOUBLE), ReferenceAttention.array(column(v),
        DataType.DOUBLE)};
    for (int denseUpTo : new int[] {ProbSparseAttention.DENSE_SCORING_MAX_KEYS, 0}) {
      ProbSparseAttention kernel = new ProbSparseAttention(1, 42, denseUpTo);
      assertThat(kernel.attend(qkv[0], qkv[1], qkv[2], false, 1).reshape(8).toDoubleVector())
          .containsExactly(unmasked, within(1e-12));
      assertThat(kernel.attend(qkv[0], qkv[1], qkv[2], true, 1).reshape(8).toDoubleVector())
          .containsExactly(masked, within(1e-12));
    }
  }

  @Test
  void sameSeedSameResultAndOtherSeedOtherSamples() {
    INDArray q = Nd4j.rand(DataType.FLOAT, 1, 2, 64, 8);
    INDArray k = Nd4j.rand(DataType.FLOAT, 1, 2, 64, 8);
    INDArray v = Nd4j.rand(DataType.FLOAT, 1, 2, 64, 8);
    INDArray first = new ProbSparseAttention(2, 5).attend(q, k, v, false, 0.35);
    assertThat(new ProbSparseAttention(2, 5).attend(q, k, v, false, 0.35)).isEqualTo(first);
    assertThat(ProbSparseAttention.sampleKeys(64, 64, 10, new SplittableRandom(5)))
        .isNotEqualTo(ProbSparseAttention.sampleKeys(64, 64, 10, new SplittableRandom(6)));
  }

  @Test
  void causalNeedsAsManyQueriesAsKeys() {
    INDArray q = Nd4j.rand(DataType.FLOAT, 1, 1, 4, 2);
    INDArray k = Nd4j.rand(DataType.FLOAT, 1, 1, 6, 2);
    assertThatThrownBy(() -> new ProbSparseAttention(5, 1).attend(q, k, k, true, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 vs 6");
  }

  @Test
  void topRowsPicksTheLargestPerGroupWithTiesToTheEarlierPosition() {
    // groups = 2, Lq = 4: group 0 scores 1, 5, 5, 0; group 1 scores 9, 2, 2, 2.
    double[] m = {1, 5, 5, 0, 9, 2, 2, 2};
    assertThat(ProbSparseAttention.topRows(m, 2, 4, 2)).containsExactly(1, 2, 4, 5);
  }

  private static double[][][][] column(double[] x) {
    double[][][][] out = new double[1][1][x.length][1];
    for (int i = 0; i < x.length; i++) {
      out[0][0][i][0] = x[i];
    }
    return out;
  }
}

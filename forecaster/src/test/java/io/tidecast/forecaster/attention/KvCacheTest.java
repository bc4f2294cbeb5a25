package io.tidecast.forecaster.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KvCacheTest {

  private static final int SEQUENCES = 16;
  private static final int HEADS = 2;
  private static final int DIM = 4;
  private static final int WINDOW = 48;
  private static final int STEPS = 500;

  @Test
  void incrementalAttentionEqualsRecomputingTheWindowAsTheRingWraps() {
    Nd4j.getRandom().setSeed(7);
    // Each sequence's own stream of projected queries, keys and values: [STEPS, heads, dim].
    INDArray[] q = new INDArray[SEQUENCES];
    INDArray[] k = new INDArray[SEQUENCES];
    INDArray[] v = new INDArray[SEQUENCES];
    for (int s = 0; s < SEQUENCES; s++) {
      q[s] = Nd4j.randn(DataType.FLOAT, STEPS, HEADS, DIM);
      k[s] = Nd4j.randn(DataType.FLOAT, STEPS, HEADS, DIM);
      v[s] = Nd4j.randn(DataType.FLOAT, STEPS, HEADS, DIM);
    }
    KvCache cache = new KvCache(SEQUENCES, HEADS, DIM, WINDOW, DataType.FLOAT);
    int[] appended = new int[SEQUENCES];
    double worst = 0;
    int checked = 0;
    for (int step = 0; IntStream.of(appended).anyMatch(n -> n < STEPS); step++) {
      // Sequence s starts 3 s steps late and skips every (s + 2)-th step: lengths all differ, and
      // the batch holds a changing subset of slots in a changing order.
      List<Integer> stepping = new ArrayList<>();
      for (int s = SEQUENCES - 1; s >= 0; s--) {
        if (step >= 3 * s && appended[s] < STEPS && step % (s + 2) != 1) {
          stepping.add(s);
        }
      }
      if (step == 100) { // and once, every slot in slot order, the path that reads the store as is
        stepping.clear();
        IntStream.range(0, SEQUENCES).filter(s -> appended[s] < STEPS).forEach(stepping::add);
      }
      if (stepping.isEmpty()) {
        continue;
      }
      int[] slots = stepping.stream().mapToInt(Integer::intValue).toArray();
      INDArray out = cache.step(slots, rows(q, slots, appended), rows(k, slots, appended),
          rows(v, slots, appended), 0.5);
      for (int i = 0; i < slots.length; i++) {
        int s = slots[i];
        int t = appended[s]++;
        int from = Math.max(0, t + 1 - WINDOW);
        INDArray expected = FullAttention.INSTANCE.attend(window(q[s], from, t + 1),
            window(k[s], from, t + 1), window(v[s], from, t + 1), true, 0.5)
            .get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t - from),
                NDArrayIndex.all()); // the last position's row
        worst = Math.max(worst, ReferenceAttention.maxAbs(out.slice(i).sub(expected)));
        checked++;
      }
    }
    assertThat(appended).containsOnly(STEPS);
    assertThat(cache.length(0)).isEqualTo(STEPS);
    assertThat(checked).isEqualTo(SEQUENCES * STEPS);
    assertThat(worst).isLessThan(1e-5);
  }

  @Test
  void aClearedSlotStartsEmpty() {
    KvCache cache = new KvCache(2, 1, 2, 4, DataType.DOUBLE);
    INDArray one = Nd4j.ones(DataType.DOUBLE, 1, 1, 2);
    for (int i = 0; i < 3; i++) {
      cache.step(new int[] {0}, one, one.mul(i), one.mul(i + 10), 1);
    }
    cache.clear(0);
    INDArray out = cache.step(new int[] {0}, one, one, one.mul(7), 1);
    assertThat(out.reshape(2).toDoubleVector()).containsExactly(7, 7); // only its own value
  }

  @Test
  void refusesASlotTwiceOrOutOfRange() {
    KvCache cache = new KvCache(2, 1, 2, 4, DataType.FLOAT);
    INDArray two = Nd4j.ones(DataType.FLOAT, 2, 1, 2);
    assertThatThrownBy(() -> cache.step(new int[] {1, 1}, two, two, two, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> cache.step(new int[] {0, 2}, two, two, two, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
  }

  /** Row {@code appended[s]} of each listed sequence: {@code [n, heads, dim]}. */
  private static INDArray rows(INDArray[] x, int[] slots, int[] appended) {
    INDArray[] picked = new INDArray[slots.length];
    for (int i = 0; i < slots.length; i++) {
      picked[i] = x[slots[i]].get(NDArrayIndex.interval(appended[slots[i]],
          appended[slots[i]] + 1), NDArrayIndex.all(), NDArrayIndex.all());
    }
    return Nd4j.concat(0, picked);
  }

  /** Positions {@code [from, to)} as {@code [1, heads, length, dim]}. */
  private static INDArray window(INDArray x, int from, int to) {
    return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all())
        .permute(1, 0, 2).reshape(1, HEADS, to - from, DIM);
  }
}

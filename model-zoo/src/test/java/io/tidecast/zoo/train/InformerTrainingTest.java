package io.tidecast.zoo.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.zoo.informer.DecoderInput;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerGraph;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A tiny Informer learns two noisy periodic channels: the whole graph trains end to end. */
class InformerTrainingTest {

  private static final InformerConfig CONFIG = new InformerConfig(48, 24, 12, 2, 2, 2, 1, 16, 2,
      2, 1, 32, 3, 0.0, true, true);
  private static final int LENGTH = 800;
  private static final int BATCH = 16;

  @Test
  void adamLowersTheForecastErrorOnHeldOutWindows() {
    double[][] series = series(new SplittableRandom(3));
    InformerGraph g = InformerGraph.build(CONFIG, DataType.FLOAT, 11);
    Adam adam = new Adam(g.sameDiff(), 3e-3);
    SplittableRandom random = new SplittableRandom(5);
    Map<String, INDArray> heldOut = batch(series, new int[] {700, 710, 720, 730, 740}, g);
    double before = g.sameDiff().output(heldOut, InformerGraph.LOSS).get(InformerGraph.LOSS)
        .getDouble(0);
    for (int step = 0; step < 80; step++) {
      int[] starts = new int[BATCH];
      for (int i = 0; i < BATCH; i++) {
        starts[i] = random.nextInt(600);
      }
      Map<String, INDArray> feed = batch(series, starts, g);
      feed.putAll(g.attention().freshSamples(random));
      double loss = adam.step(feed, InformerGraph.LOSS);
      assertThat(loss).isFinite();
    }
    double after = g.sameDiff().output(heldOut, InformerGraph.LOSS).get(InformerGraph.LOSS)
        .getDouble(0);
    assertThat(adam.steps()).isEqualTo(80);
    assertThat(after).as("held-out MSE before %s, after %s", before, after)
        .isLessThan(0.3 * before);
  }

  /** Two channels: a daily sine and a half-day cosine, with a little noise. */
  private static double[][] series(SplittableRandom random) {
    double[][] rows = new double[LENGTH][2];
    for (int t = 0; t < LENGTH; t++) {
      rows[t][0] = Math.sin(2 * Math.PI * t / 24) + 0.05 * random.nextGaussian();
      rows[t][1] = 0.5 * Math.cos(2 * Math.PI * t / 12) + 0.05 * random.nextGaussian();
    }
    return rows;
  }

  /** Windows starting at {@code starts}, with hour-of-day as the one calendar feature. */
  private static Map<String, INDArray> batch(double[][] series, int[] starts, InformerGraph g) {
    int n = starts.length;
    int in = CONFIG.inputLength();
    int h = CONFIG.horizon();
    double[][][] window = new double[n][in][];
    double[][][] target = new double[n][h][];
    double[][][] time = new double[n][in][1];
    double[][][] futureTime = new double[n][h][1];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < in; t++) {
        window[i][t] = series[starts[i] + t];
        time[i][t][0] = ((starts[i] + t) % 24) / 23.0 - 0.5;
      }
      for (int t = 0; t < h; t++) {
        target[i][t] = series[starts[i] + in + t];
        futureTime[i][t][0] = ((starts[i] + in + t) % 24) / 23.0 - 0.5;
      }
    }
    INDArray x = Nd4j.create(window).castTo(DataType.FLOAT);
    INDArray tx = Nd4j.create(time).castTo(DataType.FLOAT);
    Map<String, INDArray> feed = new HashMap<>(g.attention().fixedSamples());
    feed.put(InformerGraph.ENCODER_VALUES, x);
    feed.put(InformerGraph.ENCODER_TIME, tx);
    feed.put(InformerGraph.DECODER_VALUES, DecoderInput.values(x, CONFIG.labelLength(), h));
    feed.put(InformerGraph.DECODER_TIME, DecoderInput.time(tx,
        Nd4j.create(futureTime).castTo(DataType.FLOAT), CONFIG.labelLength()));
    feed.put(InformerGraph.TARGET, Nd4j.create(target).castTo(DataType.FLOAT));
    return feed;
  }
}

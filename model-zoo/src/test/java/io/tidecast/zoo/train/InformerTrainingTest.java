package io.tidecast.zoo.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerGraph;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A tiny Informer learns two noisy periodic channels: the whole graph trains end to end. */
class InformerTrainingTest {

  private static final int ROWS = 900;
  private static final int TRAIN_ROWS = 700;

  @Test
  void trainingLowersTheValidationErrorAndKeepsTheBestEpoch() {
    TimeSeries series = series(new SplittableRandom(3));
    StandardScaler scaler = StandardScaler.fit(series.values(), 0, TRAIN_ROWS);
    InformerConfig config = new InformerConfig(48, 24, 12, 2, 2, 2, 4, 16, 2, 2, 1, 32, 3, 0.0,
        true, true);
    int[] all = {0, 1};
    Windows train = new Windows(series.slice(0, TRAIN_ROWS), scaler, all, all, 48, 12);
    Windows validation = new Windows(series.slice(TRAIN_ROWS - 48, ROWS), scaler, all, all,
        48, 12);
    InformerGraph graph = InformerGraph.build(config, DataType.FLOAT, 11);
    List<String> log = new ArrayList<>();
    Trainer trainer = new Trainer(graph, log::add);
    double before = trainer.evaluate(validation, 32).mse();

    List<Trainer.Epoch> epochs = trainer.train(train, validation,
        new Trainer.Settings(3, 16, 5e-3, 3, 5, 30));

    assertThat(epochs).hasSize(3);
    assertThat(epochs.get(1).learningRate()).isEqualTo(epochs.get(0).learningRate() / 2);
    double best = epochs.stream().mapToDouble(Trainer.Epoch::validationMse).min()
        .orElseThrow();
    Trainer.Errors after = trainer.evaluate(validation, 32);
    assertThat(after.windows()).isEqualTo(ROWS - TRAIN_ROWS - 12 + 1);
    assertThat(after.mse()).as("validation MSE before %s, after %s", before, after.mse())
        .isLessThan(0.3 * before)
        .isCloseTo(best, org.assertj.core.api.Assertions.within(1e-6)); // the best epoch kept
    assertThat(log).anyMatch(line -> line.contains("ETA"));
    Trainer.Errors twoThreads = trainer.evaluate(validation, 32, 2);
    assertThat(twoThreads.windows()).isEqualTo(after.windows());
    assertThat(twoThreads.mse()).as("two threads score the same windows")
        .isCloseTo(after.mse(), org.assertj.core.api.Assertions.within(1e-6 * after.mse()));
  }

  @Test
  void aScheduleWhosePartsDoNotFitIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new Trainer.Settings(1, 32, 1e-4, 3, 1, 1, 5)).hasMessageContaining(
            "micro-batch 5 must divide the batch size 32");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new Trainer.Settings(1, 32, 1e-4, 3, 1, 1, 16, 3)).hasMessageContaining(
            "threads 3 must be between 1 and the 2 parts of a batch");
    assertThat(new Trainer.Settings(1, 32, 1e-4, 3, 1, 1, 16, 2).threads()).isEqualTo(2);
  }

  /** Two hourly channels: a daily sine and a half-day cosine, with a little noise. */
  private static TimeSeries series(SplittableRandom random) {
    double[][] rows = new double[ROWS][2];
    Instant[] time = new Instant[ROWS];
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    for (int t = 0; t < ROWS; t++) {
      time[t] = start.plus(t, ChronoUnit.HOURS);
      rows[t][0] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + 0.1 * random.nextGaussian();
      rows[t][1] = Math.cos(2 * Math.PI * t / 12) + 0.05 * random.nextGaussian();
    }
    return new TimeSeries("synthetic", List.of("a", "b"), Frequency.HOURLY, time, rows);
  }
}

package io.tidecast.spiking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.checkpoint.CheckpointException;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.train.GraphTraining;
import io.tidecast.zoo.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, serving in both forms, checkpoints and discovery of the spiking kind. */
class SpikingForecasterTest {

  private static final int INPUT = 24;

  private static TimeSeries series;
  private static GraphTraining training;
  private static List<Trainer.Epoch> epochs;
  private static SpikingForecaster model;

  @TempDir
  Path temp;

  @BeforeAll
  static void trainBriefly() {
    series = series(700);
    training = new GraphTraining(GraphTraining.kind(SpikingKind.KIND), series.slice(0, 500),
        new ModelSettings("site", INPUT, 6, List.of(), Map.of("d-model", "16", "order", "8",
            "epochs", "1", "max-steps", "6", "batch-size", "32", "seed", "3")));
    epochs = training.run(series.slice(500 - INPUT, 600), line -> { });
    model = (SpikingForecaster) training.forecaster("site", "t");
  }

  /** Three hourly channels with daily cycles, a trend and noise. */
  static TimeSeries series(int rows) {
    double[][] values = new double[rows][3];
    Instant[] time = new Instant[rows];
    Instant start = Instant.parse("2024-03-01T00:00:00Z");
    SplittableRandom random = new SplittableRandom(4);
    for (int t = 0; t < rows; t++) {
      time[t] = start.plus(t, ChronoUnit.HOURS);
      values[t][0] = 20 + 4 * Math.sin(2 * Math.PI * t / 24) + random.nextGaussian();
      values[t][1] = 5 + Math.cos(2 * Math.PI * t / 12) + 0.01 * t;
      values[t][2] = 100 - 0.05 * t + 3 * Math.sin(2 * Math.PI * t / 24 + 1)
          + 0.5 * random.nextGaussian();
    }
    return new TimeSeries("site", List.of("a", "b", "c"), Frequency.HOURLY, time, values);
  }

  @Test
  void trainingStartsFromTheLinearReadOutAndKeepsTheBestEpoch() {
    assertThat(epochs).extracting(Trainer.Epoch::number).containsExactly(0, 1);
    assertThat(epochs.get(0).validationMse()).as("the linear read-out learns the cycles")
        .isLessThan(0.5);
    double best = epochs.stream().mapToDouble(Trainer.Epoch::validationMse).min().orElseThrow();
    assertThat(training.evaluate(series.slice(500 - INPUT, 600), line -> { }).mse())
        .isCloseTo(best, within(1e-4));
  }

  @Test
  void theStepperFollowsTheWindowFormAfterAFullWindow() {
    SpikingState state = model.initialState();
    for (int t = 0; t < INPUT; t++) {
      state = model.update(state, reading(t));
    }
    Forecast streamed = model.forecast("site", state);
    Forecast window = model.forecast(List.of(series.window(0, INPUT))).get(0);
    assertThat(streamed.steps()).hasSameSizeAs(window.steps());
    for (int h = 0; h < window.steps().size(); h++) {
      assertThat(streamed.steps().get(h).ts()).isEqualTo(window.steps().get(h).ts());
      double[] a = streamed.steps().get(h).yhat();
      double[] b = window.steps().get(h).yhat();
      for (int c = 0; c < a.length; c++) {
        assertThat(a[c]).isCloseTo(b[c], within(1e-3 * (1 + Math.abs(b[c]))));
      }
    }
    assertThat(model.decode(model.encode(state))).isEqualTo(state);
  }

  @Test
  void aForecastBeforeAFullWindowOrAWrongReadingIsRefused() {
    SpikingState state = model.update(model.initialState(), reading(0));
    assertThatThrownBy(() -> model.forecast("site", state))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forecasts after 24");
    assertThatThrownBy(() -> model.update(state, new Observation(series.timestamps()[1],
        new double[] {1, 2}))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 2 values");
    assertThatThrownBy(() -> model.decode(new byte[12]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
  }

  @Test
  void aCheckpointRestoresBothFormsBitForBitAndACorruptOneIsRefused() throws IOException {
    Path dir = temp.resolve("site/1");
    Checkpoints.save(dir, SpikingKind.KIND, training.model().config(), model,
        training.model().graph().weights(), Checkpoints.fingerprint("site", series.slice(0, 500)),
        Map.of("seed", 3), Map.of("test.mse", 0.4));
    List<SeriesWindow> windows = new ArrayList<>();
    for (int from = 500; from + INPUT <= 700; from += 7) {
      windows.add(series.window(from, INPUT));
    }
    try (Forecaster loaded = Checkpoints.open(dir)) {
      SpikingForecaster restored = (SpikingForecaster) loaded;
      assertThat(text(restored.forecast(windows))).isEqualTo(text(model.forecast(windows)));
      SpikingState a = model.initialState();
      SpikingState b = restored.initialState();
      for (int t = 0; t < 60; t++) {
        a = model.update(a, reading(t));
        b = restored.update(b, reading(t));
      }
      assertThat(b).isEqualTo(a);
      assertThat(text(List.of(restored.forecast("site", a))))
          .isEqualTo(text(List.of(model.forecast("site", a))));
    }
    assertThat(Checkpoints.manifest(dir).config()).containsEntry("tau", 2.0)
        .containsEntry("truncation", 8).containsEntry("seed", 3);

    Path weights = dir.resolve("weights.bin");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 1;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> Checkpoints.open(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("weights.bin");
  }

  @Test
  void itReportsSpikeRatesAndOperationsOnWindows() {
    List<String> report = model.report(series.slice(500, 700));
    assertThat(report.get(0)).contains("spike rates over 171 windows");
    for (String layer : model.graph().neuronOrder()) {
      String line = report.stream().filter(l -> l.trim().startsWith(layer + " ")).findFirst()
          .orElseThrow();
      double rate = Double.parseDouble(line.trim().split("\\s+")[1]);
      assertThat(rate).as(layer).isBetween(0.0, 1.0);
    }
    assertThat(report).anyMatch(l -> l.contains("energy proxy") && l.contains("ratio"));
    assertThat(report.get(report.size() - 1)).startsWith("streamed from the first row")
        .contains("171 forecasts");
  }

  @Test
  void theKindIsFoundThroughTheServiceInterfaces() {
    assertThat(ModelKinds.load().get(SpikingKind.KIND).options()).contains("tau", "threshold",
        "surrogate-alpha", "truncation", "order", "epochs");
    assertThat(GraphTraining.kinds()).extracting(k -> k.kind())
        .contains(SpikingKind.KIND, "lmuformer", "informer");
    assertThatThrownBy(() -> new GraphTraining(GraphTraining.kind(SpikingKind.KIND), series,
        new ModelSettings("x", INPUT, 6, List.of(), Map.of("truncation", "0"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncation");
  }

  private static Observation reading(int t) {
    return new Observation(series.timestamps()[t], series.values()[t]);
  }

  /** Every forecast value as exact decimal text. */
  private static String text(List<Forecast> forecasts) {
    StringBuilder text = new StringBuilder();
    for (Forecast f : forecasts) {
      f.steps().forEach(step -> text.append(step.ts()).append(' ')
          .append(java.util.Arrays.toString(step.yhat())).append(' '));
      text.append('\n');
    }
    return text.toString();
  }
}

package io.tidecast.zoo.lmuformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.train.GraphTraining;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.Trainer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmuForecasterTest {

  private static final LmuConfig CONFIG = new LmuConfig(24, 5, 3, List.of(2, 0), 16, 2, 8, 1, 2,
      2, 0.0, true, true);

  @TempDir
  Path temp;

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

  static LmuForecaster model(TimeSeries series) {
    ForecasterSpec spec = new ForecasterSpec(CONFIG.inputLength(), CONFIG.horizon(),
        series.channels(), List.of("c", "a"), series.frequency());
    return new LmuForecaster(new ModelId("site", "1"), spec,
        StandardScaler.fit(series.values(), 0, 150), LmuStepperTest.randomGraph(CONFIG));
  }

  /** Every forecast value as exact decimal text, one line per forecast. */
  private static String text(List<Forecast> forecasts) {
    StringBuilder text = new StringBuilder();
    for (Forecast f : forecasts) {
      f.steps().forEach(step -> text.append(step.ts()).append(' ')
          .append(java.util.Arrays.toString(step.yhat())).append(' '));
      text.append('\n');
    }
    return text.toString();
  }

  private static Observation reading(TimeSeries series, int t) {
    return new Observation(series.timestamps()[t], series.values()[t]);
  }

  @Test
  void followingReadingsOneByOneItForecastsWhatTheWindowFormForecasts() {
    TimeSeries series = series(200);
    LmuForecaster model = model(series);
    LmuState state = model.initialState();
    int checked = 0;
    for (int t = 0; t < series.length(); t++) {
      state = model.update(state, reading(series, t));
      if (t + 1 >= model.warmUp() && t % 7 == 0) {
        Forecast streamed = model.forecast("site", state);
        Forecast windowed = model.forecast(List.of(series.window(t + 1 - CONFIG.inputLength(),
            CONFIG.inputLength()))).get(0);
        assertThat(streamed.issuedAt()).isEqualTo(series.timestamps()[t])
            .isEqualTo(windowed.issuedAt());
        assertThat(streamed.model()).isEqualTo(new ModelId("site", "1"));
        for (int h = 0; h < CONFIG.horizon(); h++) {
          assertThat(streamed.steps().get(h).ts()).isEqualTo(windowed.steps().get(h).ts());
          for (int c = 0; c < 2; c++) {
            double expected = windowed.steps().get(h).yhat()[c];
            assertThat(streamed.steps().get(h).yhat()[c]).as("t %d step %d channel %d", t, h, c)
                .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
          }
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
    // serving many batches leaves the graph's session no record of the arrays it freed
    assertThat(Sessions.freedArrays(model.graph().sameDiff()))
        .hasValueSatisfying(ids -> assertThat(ids).isEmpty());
  }

  @Test
  void aForecastBeforeTheWindowIsFullOrAWrongReadingIsRefused() {
    TimeSeries series = series(200);
    LmuForecaster model = model(series);
    LmuState state = model.initialState();
    for (int t = 0; t < 10; t++) {
      state = model.update(state, reading(series, t));
    }
    LmuState early = state;
    assertThatThrownBy(() -> model.forecast("site", early))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 readings")
        .hasMessageContaining("after 24");
    assertThatThrownBy(() -> model.update(early, new Observation(Instant.EPOCH, new double[2])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 channels");
  }

  @Test
  void aCheckpointRestoresBothFormsBitForBit() {
    TimeSeries series = series(200);
    LmuForecaster model = model(series);
    Path dir = temp.resolve("site/1");
    LmuCheckpoint.save(dir, model, Checkpoints.fingerprint("site", series.slice(0, 150)),
        Map.of("seed", 7), Map.of("test.mse", 0.4));
    List<io.tidecast.forecaster.SeriesWindow> windows = new ArrayList<>();
    for (int from = 150; from + CONFIG.inputLength() <= 200; from += 6) {
      windows.add(series.window(from, CONFIG.inputLength()));
    }
    try (Forecaster loaded = Checkpoints.open(dir)) {
      assertThat(loaded).isInstanceOf(LmuForecaster.class);
      LmuForecaster restored = (LmuForecaster) loaded;
      assertThat(restored.spec()).isEqualTo(model.spec());
      assertThat(text(restored.forecast(windows))).isEqualTo(text(model.forecast(windows)));
      LmuState a = model.initialState();
      LmuState b = restored.initialState();
      for (int t = 0; t < 60; t++) {
        a = model.update(a, reading(series, t));
        b = restored.update(b, reading(series, t));
      }
      assertThat(b).isEqualTo(a);
      assertThat(text(List.of(restored.forecast("site", restored.decode(model.encode(a))))))
          .isEqualTo(text(List.of(model.forecast("site", a))));
    }
    assertThat(Checkpoints.manifest(dir).config()).containsEntry("order", 8)
        .containsEntry("linearHead", true).containsEntry("seed", 7);
  }

  @Test
  void trainingStartsFromTheLeastSquaresReadOutAndNeverEndsWorseOnValidation() {
    TimeSeries series = series(700);
    GraphTraining training = new GraphTraining(GraphTraining.kind("lmuformer"),
        series.slice(0, 500), new ModelSettings("site", 24, 6, List.of(), Map.of("d-model", "16",
            "order", "12", "epochs", "2", "max-steps", "15", "batch-size", "16", "seed", "3")));
    List<String> lines = new ArrayList<>();
    List<Trainer.Epoch> epochs = training.run(series.slice(500 - 24, 600), lines::add);

    assertThat(epochs.get(0).number()).isZero();
    assertThat(lines.get(0)).contains("closed-form fit");
    double best = epochs.stream().mapToDouble(Trainer.Epoch::validationMse).min().orElseThrow();
    Trainer.Errors after = training.evaluate(series.slice(500 - 24, 600), lines::add);
    assertThat(after.mse()).isCloseTo(best, within(1e-4));
    assertThat(epochs.get(0).validationMse()).as("the linear read-out learns the cycles")
        .isLessThan(0.5);
    Windows validation = training.windows(series.slice(500 - 24, 600));
    Trainer.Errors oneThread = new Trainer(training.model().graph(), lines::add)
        .evaluate(validation, 16, 1);
    Trainer.Errors twoThreads = new Trainer(training.model().graph(), lines::add)
        .evaluate(validation, 16, 2);
    assertThat(twoThreads.windows()).isEqualTo(oneThread.windows()).isEqualTo(100 - 6 + 1);
    assertThat(twoThreads.mse()).as("two threads score the same windows")
        .isCloseTo(oneThread.mse(), within(1e-9 * oneThread.mse()));
    assertThat(twoThreads.mae()).isCloseTo(oneThread.mae(), within(1e-9 * oneThread.mae()));
    LmuForecaster served = (LmuForecaster) training.forecaster("site", "t");
    assertThat(served.spec().outputChannels()).containsExactly("a", "b", "c");
  }

  @Test
  void theKindIsFoundThroughTheServiceInterfaces() {
    assertThat(ModelKinds.load().get("lmuformer").options()).contains("order", "memory-d",
        "linear-head", "epochs", "lr");
    assertThat(GraphTraining.kinds()).extracting(k -> k.kind())
        .contains("lmuformer", "informer");
    assertThatThrownBy(() -> new GraphTraining(GraphTraining.kind("lmuformer"), series(200),
        new ModelSettings("x", 24, 6, List.of(), Map.of("heads", "8"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no option [heads]");
    assertThatThrownBy(() -> new GraphTraining(GraphTraining.kind("lmuformer"), series(200),
        new ModelSettings("x", 24, 6, List.of(), Map.of("threads", "2", "d-model", "8")))
        .schedule()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give micro-batch too");
  }
}

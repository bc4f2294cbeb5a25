package io.tidecast.zoo.checkpoint;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.informer.InformerCheckpoint;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerForecaster;
import io.tidecast.zoo.informer.InformerGraph;
import io.tidecast.zoo.informer.InformerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny Informer with every weight drawn from a seed, the series it is applied to, and the
 * stored checkpoint of format 1 under {@code src/test/resources/checkpoints}. {@link #main}
 * rewrites that fixture; do so only when the format version changes, keeping the old one.
 */
public final class CheckpointFixture {

  static final String RESOURCE = "checkpoints/informer-tiny-format1";
  static final InformerConfig CONFIG = new InformerConfig(24, 12, 6, 3, 3, 2, 4, 16, 2, 2, 1, 32,
      3, 0.05, true, true);

  private CheckpointFixture() {}

  /** Three hourly channels, no randomness: the same rows on every machine. */
  static TimeSeries series() {
    int rows = 200;
    double[][] values = new double[rows][3];
    Instant[] time = new Instant[rows];
    Instant start = Instant.parse("2024-03-01T00:00:00Z");
    for (int t = 0; t < rows; t++) {
      time[t] = start.plus(t, ChronoUnit.HOURS);
      values[t][0] = 20 + 4 * Math.sin(2 * Math.PI * t / 24);
      values[t][1] = 5 + Math.cos(2 * Math.PI * t / 12) + 0.01 * t;
      values[t][2] = 100 - 0.5 * t + 3 * Math.sin(2 * Math.PI * t / 7);
    }
    return new TimeSeries("fixture", List.of("a", "b", "c"), Frequency.HOURLY, time, values);
  }

  static List<SeriesWindow> windows(TimeSeries series) {
    List<SeriesWindow> windows = new ArrayList<>();
    for (int from = 150; from < 176; from += 5) {
      windows.add(series.window(from, CONFIG.inputLength()));
    }
    return windows;
  }

  /** A model with seeded weights and non-trivial batch-norm statistics. */
  static InformerForecaster model(long seed) {
    TimeSeries series = series();
    InformerGraph graph = InformerGraph.build(CONFIG, DataType.FLOAT, seed);
    Nd4j.getRandom().setSeed(seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (Map.Entry<String, INDArray> w : graph.weights().entrySet()) {
      if (w.getKey().endsWith(InformerGraph.RUNNING_MEAN)) {
        w.getValue().assign(Nd4j.randn(DataType.FLOAT, w.getValue().shape()).muli(0.1));
      } else if (w.getKey().endsWith(InformerGraph.RUNNING_VARIANCE)) {
        w.getValue().assign(Nd4j.rand(DataType.FLOAT, w.getValue().shape()).addi(0.5));
      }
    }
    StandardScaler scaler = StandardScaler.fit(series.values(), 0, 150);
    return InformerProvider.forecaster("fixture", "1", graph, scaler, series,
        List.of("a", "c"));
  }

  /** Every forecast value, one line per window, as exact decimal text. */
  static String text(List<Forecast> forecasts) {
    return forecasts.stream().map(f -> f.steps().stream()
            .flatMap(s -> java.util.Arrays.stream(s.yhat()).boxed())
            .map(String::valueOf).collect(Collectors.joining(" ")))
        .collect(Collectors.joining("\n")) + "\n";
  }

  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "model-zoo/src/test/resources");
    Path dir = resources.resolve(RESOURCE);
    InformerForecaster model = model(17);
    TimeSeries series = series();
    InformerCheckpoint.save(dir, model, Checkpoints.fingerprint("fixture", series.slice(0, 150)),
        Map.of("seed", 17), Map.of("note.fixture", 1.0));
    Files.writeString(resources.resolve(RESOURCE + ".expected.txt"),
        text(model.forecast(windows(series))));
  }
}

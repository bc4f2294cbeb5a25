package io.tidecast.zoo.cli;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.informer.CalendarEmbedding;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerForecaster;
import io.tidecast.zoo.informer.InformerGraph;
import io.tidecast.zoo.informer.InformerProvider;
import io.tidecast.zoo.lmuformer.LmuForecaster;
import io.tidecast.zoo.lmuformer.LmuState;
import io.tidecast.zoo.train.GraphTraining;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zoo bench-lmu}: the LMUFormer's streaming cost per reading, batched over many series
 * (one reading per series per pass, then a forecast for each), its state size, and in the same
 * run the cost of one Informer window forecast of the same horizon, alone and in a batch of 64.
 */
@Command(name = "bench-lmu", mixinStandardHelpOptions = true,
    description = "LMUFormer streaming microseconds per reading over many series, state bytes, and"
        + " the ratio to an Informer window forecast.")
final class BenchLmuCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--series", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
  int seriesCount;

  @Option(names = "--channels", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  int channels;

  @Option(names = "--input", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int inputLength;

  @Option(names = "--horizon", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int horizon;

  @Option(names = {"-o", "--option"}, description = "An LMUFormer option as key=value.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--passes", defaultValue = "30",
      description = "Timed passes (one reading for every series, then their forecasts). Default:"
          + " ${DEFAULT-VALUE}.")
  int passes;

  @Option(names = "--informer", defaultValue = "512:2048,64:256", split = ",",
      description = "Informer sizes to compare, as d_model:d_ff. Default: ${DEFAULT-VALUE}.")
  List<String> informers;

  @Option(names = "--repeats", defaultValue = "9",
      description = "Timed Informer calls per batch size. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (seriesCount < 1 || passes < 1 || repeats < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--series, --passes and --repeats must be at least 1");
    }
    out.printf(Locale.ROOT, "%s, %s cores; sgemm 2048^3: %.1f GFLOP/s%n", Timing.cpuModel(),
        Runtime.getRuntime().availableProcessors(), Timing.sgemmGflops(2048));
    TimeSeries history = Timing.syntheticSeries(inputLength + horizon + 64 * 4 + 64, channels);
    Map<String, String> given = new LinkedHashMap<>(options);
    given.putIfAbsent("seed", "1");
    GraphTraining built = new GraphTraining(GraphTraining.kind("lmuformer"), history,
        new ModelSettings("bench", inputLength, horizon, List.of(), given));
    LmuForecaster lmu = (LmuForecaster) built.forecaster("bench", "1");
    out.printf(Locale.ROOT, "%s; state %d floats, %d bytes per series%n", lmu.graph().config(),
        lmu.stepper().stateSize(), lmu.stepper().stateBytes());
    out.flush();

    double[] perReading = streaming(out, lmu);
    for (String size : informers) {
      String[] parts = size.split(":");
      InformerConfig config = new InformerConfig(inputLength, inputLength / 2, horizon, channels,
          channels, channels, CalendarEmbedding.TIME_F.size(Frequency.HOURLY),
          Integer.parseInt(parts[0]), 8, 2, 1, Integer.parseInt(parts[1]), 5, 0.05, true, true);
      InformerForecaster informer = InformerProvider.forecaster("bench", "1",
          InformerGraph.build(config, DataType.FLOAT, 1), built.scaler(), history,
          history.channels());
      List<SeriesWindow> pool = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        pool.add(history.window(i * 4, inputLength));
      }
      for (int batch : new int[] {1, 64}) {
        List<SeriesWindow> input = pool.subList(0, batch);
        double ms = Timing.medianMillis(() -> informer.forecast(input), 2, repeats, false);
        double usPerWindow = ms * 1000 / batch;
        out.printf(Locale.ROOT, "Informer d_model %s d_ff %s, horizon %d, batch %d: %.0f us per"
                + " window forecast = %.0fx an LMUFormer reading with its forecast (%.0fx the"
                + " update alone)%n", parts[0], parts[1], horizon, batch, usPerWindow,
            usPerWindow / perReading[1], usPerWindow / perReading[0]);
        out.flush();
      }
    }
  }

  /**
   * Warms every series up with a full window of readings, then times passes; returns the median
   * microseconds per reading for the update alone and for the update with its forecast.
   */
  private double[] streaming(PrintWriter out, LmuForecaster lmu) {
    SplittableRandom random = new SplittableRandom(3);
    List<String> names = new ArrayList<>();
    List<LmuState> states = new ArrayList<>();
    for (int s = 0; s < seriesCount; s++) {
      names.add("s" + s);
      states.add(lmu.initialState());
    }
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    int warm = lmu.warmUp();
    double[] update = new double[passes];
    double[] both = new double[passes];
    long rssAfterWarmUp = 0;
    long rssHighest = 0;
    for (int step = 0; step < warm + passes; step++) {
      List<Observation> readings = new ArrayList<>(seriesCount);
      for (int s = 0; s < seriesCount; s++) {
        double[] values = new double[channels];
        for (int c = 0; c < channels; c++) {
          values[c] = Math.sin(2 * Math.PI * (step + s) / 24 + c) + 0.1 * random.nextGaussian();
        }
        readings.add(new Observation(t0.plus(step, ChronoUnit.HOURS), values));
      }
      long start = System.nanoTime();
      states = lmu.update(states, readings);
      long updated = System.nanoTime();
      if (step >= warm - 1) {
        List<Forecast> forecasts = lmu.forecast(names, states);
        if (forecasts.size() != seriesCount) {
          throw new IllegalStateException(forecasts.size() + " forecasts");
        }
      }
      long done = System.nanoTime();
      if (step == warm - 1) {
        rssAfterWarmUp = Timing.statusBytes("VmRSS");
      } else if (step >= warm) {
        update[step - warm] = (updated - start) / 1e3 / seriesCount;
        both[step - warm] = (done - start) / 1e3 / seriesCount;
        rssHighest = Math.max(rssHighest, Timing.statusBytes("VmRSS"));
      }
    }
    Arrays.sort(update);
    Arrays.sort(both);
    double[] medians = {update[passes / 2], both[passes / 2]};
    out.printf(Locale.ROOT, "streaming, %d series x %d channels, horizon %d: update %.2f us per"
            + " reading, update and forecast %.2f us per reading (medians of %d passes);"
            + " RSS %.0f MB after warm-up, highest %.0f MB over the passes%n", seriesCount,
        channels, horizon, medians[0], medians[1], passes, rssAfterWarmUp / 1e6,
        rssHighest / 1e6);
    out.flush();
    return medians;
  }
}

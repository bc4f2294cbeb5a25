package io.tidecast.zoo.cli;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.metrics.ErrorMetrics;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.forecaster.data.CsvSeries;
import io.tidecast.zoo.data.Mode;
import io.tidecast.zoo.data.Split;
import io.tidecast.zoo.eval.Backtest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zoo evaluate}: trains each model kind on the train rows of a CSV series and reports its
 * test errors on standardised values for each horizon.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Train model kinds on a CSV series and report test MSE and MAE (standardised values).")
final class EvaluateCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, description = "CSV file: a time column and numeric columns.")
  Path data;

  @Option(names = "--time-column", description = "Name of the time column (default: the first column).")
  String timeColumn;

  @Option(names = "--freq", description = "Frequency such as h, 15min, d (default: inferred).")
  String frequency;

  @Option(names = "--split", defaultValue = "ett",
      description = "ett (12/4/4 months of 30 days) or ratio (0.7/0.1/0.2). Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--mode", defaultValue = "M", description = "M, S or MS. Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--target", defaultValue = "OT", description = "Target channel for S and MS. Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(names = "--input", defaultValue = "96", description = "Input length in steps. Default: ${DEFAULT-VALUE}.")
  int inputLength;

  @Option(names = "--horizons", defaultValue = "96,336", split = ",",
      description = "Horizons in steps. Default: ${DEFAULT-VALUE}.")
  List<Integer> horizons;

  @Option(names = "--models", defaultValue = "seasonal-naive,linear-ar", split = ",",
      description = "Model kinds. Default: ${DEFAULT-VALUE}.")
  List<String> models;

  @Option(names = {"-o", "--option"}, description = "kind.option=value, such as seasonal-naive.period=24.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--batch", defaultValue = "256", description = "Windows per forecast call. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    Frequency freq = frequency == null ? null : Frequency.parse(frequency);
    TimeSeries all = CsvSeries.read(data, timeColumn, freq);
    TimeSeries series = mode == Mode.M ? all : mode.inputs(all, target);
    List<String> targets = mode.targets(target);
    Split parts = switch (split.toLowerCase(Locale.ROOT)) {
      case "ett" -> Split.ettMonths(series);
      case "ratio" -> Split.ratio(series.length(), 0.7, 0.2);
      default -> throw new IllegalArgumentException("unknown split '" + split + "'; use ett or ratio");
    };
    TimeSeries train = parts.train(series);
    StandardScaler scaler = StandardScaler.fit(train.values(), 0, train.length());
    ModelKinds kinds = ModelKinds.load();
    models.forEach(kinds::get);
    options.keySet().forEach(key -> {
      if (models.stream().noneMatch(kind -> key.startsWith(kind + "."))) {
        throw new IllegalArgumentException("option '" + key + "' names none of the models " + models
            + "; write it as kind.option=value");
      }
    });

    out.printf(Locale.ROOT, "data %s: %d rows x %d channels %s, frequency %s%n", data, all.length(),
        all.channels().size(), all.channels(), series.frequency());
    out.printf(Locale.ROOT, "split %s: %s; mode %s%s, input %d%n", split, parts, mode,
        mode == Mode.M ? "" : " (target " + target + ")", inputLength);
    out.print("train mean/std:");
    for (int c = 0; c < series.channels().size(); c++) {
      out.printf(Locale.ROOT, " %s %.6f/%.6f", series.channels().get(c), scaler.mean()[c], scaler.std()[c]);
    }
    out.println();
    out.printf(Locale.ROOT, "%-16s %7s %7s %10s %10s %10s%n", "model", "horizon", "windows", "MSE", "MAE",
        "seconds");
    Backtest backtest = new Backtest(batch);
    for (int horizon : horizons) {
      for (String kind : models) {
        long started = System.nanoTime();
        ModelSettings settings = new ModelSettings(kind, inputLength, horizon, targets, optionsOf(kind));
        try (Forecaster model = kinds.train(kind, train, parts.validation(series, inputLength), settings)) {
          Backtest.Result result = backtest.run(model, parts.test(series, inputLength), scaler, null);
          ErrorMetrics m = result.metrics();
          out.printf(Locale.ROOT, "%-16s %7d %7d %10.4f %10.4f %10.1f%n", kind, horizon, result.windows(),
              m.mse(), m.mae(), (System.nanoTime() - started) / 1e9);
          out.flush();
        }
      }
    }
  }

  private Map<String, String> optionsOf(String kind) {
    Map<String, String> own = new LinkedHashMap<>();
    options.forEach((key, value) -> {
      if (key.startsWith(kind + ".")) {
        own.put(key.substring(kind.length() + 1), value);
      }
    });
    return own;
  }
}

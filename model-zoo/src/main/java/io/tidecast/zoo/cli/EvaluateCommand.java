package io.tidecast.zoo.cli;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.metrics.ErrorMetrics;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Manifest;
import io.tidecast.zoo.data.Mode;
import io.tidecast.zoo.data.Split;
import io.tidecast.zoo.eval.Backtest;
import io.tidecast.zoo.eval.ModelReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code zoo evaluate}: trains each model kind on the train rows of a CSV series and reports its
 * test errors on standardised values for each horizon.
 */
@Command(
    name = "evaluate",
    aliases = "eval",
    mixinStandardHelpOptions = true,
    description = "Train model kinds on a CSV series (or load a checkpoint) and report test MSE and"
        + " MAE (standardised values).")
final class EvaluateCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  DataOptions input;







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

  @Option(names = "--checkpoint", description = "Evaluate this saved model instead of training kinds.")
  Path checkpoint;

  @Option(names = "--batch", defaultValue = "256", description = "Windows per forecast call. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (checkpoint != null) {
      evaluateCheckpoint(out);
      return;
    }
    Mode mode = input.mode;
    String target = input.target;
    TimeSeries all = input.readAll();
    TimeSeries series = mode == Mode.M ? all : mode.inputs(all, target);
    List<String> targets = mode.targets(target);
    Split parts = input.split(series);
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

    out.printf(Locale.ROOT, "data %s: %d rows x %d channels %s, frequency %s%n", input.data, all.length(),
        all.channels().size(), all.channels(), series.frequency());
    out.printf(Locale.ROOT, "split %s: %s; mode %s%s, input %d%n", input.split, parts, mode,
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

  /**
   * The saved model on the test rows of the file: its own channels, window sizes and training
   * statistics (errors are standardised with those, as in training).
   */
  private void evaluateCheckpoint(PrintWriter out) {
    Manifest manifest = Checkpoints.manifest(checkpoint);
    try (Forecaster model = Checkpoints.open(checkpoint)) {
      TimeSeries series = input.readAll().select(model.spec().inputChannels());
      Split parts = input.split(series);
      StandardScaler scaler = new StandardScaler(manifest.scaler().mean(), manifest.scaler().std());
      long started = System.nanoTime();
      Backtest.Result result = new Backtest(batch).run(model,
          parts.test(series, model.spec().inputLength()), scaler, null);
      out.printf(Locale.ROOT, "%s (%s %s, input %d, horizon %d) on %s, split %s%n", model.id(),
          manifest.kind(), model.spec().outputChannels(), model.spec().inputLength(),
          model.spec().horizon(), input.data, input.split);
      out.printf(Locale.ROOT, "test: MSE %.4f MAE %.4f over %d windows; %.1f s%n",
          result.metrics().mse(), result.metrics().mae(), result.windows(),
          (System.nanoTime() - started) / 1e9);
      out.flush();
      if (model instanceof ModelReport report) {
        report.report(parts.test(series, model.spec().inputLength())).forEach(out::println);
        out.flush();
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

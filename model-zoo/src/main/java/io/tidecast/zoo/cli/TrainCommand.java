package io.tidecast.zoo.cli;

import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Registry;
import io.tidecast.zoo.data.Split;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.informer.CalendarEmbedding;
import io.tidecast.zoo.informer.InformerCheckpoint;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerForecaster;
import io.tidecast.zoo.informer.InformerGraph;
import io.tidecast.zoo.informer.InformerProvider;
import io.tidecast.zoo.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code zoo train}: trains an Informer on a CSV series with the reference schedule and reports
 * its test errors on standardised values. The seed fixes initialisation, shuffling, dropout and
 * samples. With {@code --save} or {@code --registry} it writes a checkpoint, test errors included.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an Informer on a CSV series; report test MSE and MAE (standardised).")
final class TrainCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  DataOptions input;

  @Mixin
  InformerOptions model;

  @Option(names = "--epochs", defaultValue = "6", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate, halved every epoch. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(names = "--patience", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--micro-batch", defaultValue = "0",
      description = "Split each batch into parts of this many windows and average their gradients,"
          + " to bound memory (0: whole batches).")
  int microBatch;

  @Option(names = "--max-steps", defaultValue = "2147483647", description = "Cap on steps per epoch.")
  int maxSteps;

  @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--save", description = "Write the trained model as a checkpoint to this (new) directory.")
  Path save;

  @Option(names = "--registry", description = "Write the checkpoint as the next version of --name in this registry folder.")
  Path registry;

  @Option(names = "--name", description = "Model name in the checkpoint (default: the file name, e.g. ETTh1).")
  String name;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    TimeSeries series = input.mode.inputs(input.readAll(), input.target);
    List<String> targets = input.mode.targets(input.target).isEmpty()
        ? series.channels() : input.mode.targets(input.target);
    Split parts = input.split(series);
    StandardScaler scaler = StandardScaler.fit(series.values(), 0, parts.trainEnd());
    int[] in = Windows.indices(series, series.channels());
    int[] outChannels = Windows.indices(series, targets);
    CalendarEmbedding calendar = model.calendar();
    Windows train = windows(parts.train(series), scaler, in, outChannels, calendar);
    Windows validation = windows(parts.validation(series, model.inputLength), scaler, in,
        outChannels, calendar);
    Windows test = windows(parts.test(series, model.inputLength), scaler, in, outChannels,
        calendar);
    InformerConfig config = model.config(in.length, outChannels.length, train.timeFeatures());
    out.printf(Locale.ROOT, "%s: mode %s, %s; windows train %d, validation %d, test %d%n",
        input.data, input.mode, config, train.count(), validation.count(), test.count());
    InformerGraph graph = InformerGraph.build(config, DataType.FLOAT, seed);
    ProgressBar bar = new ProgressBar(out, ProgressBar.onTerminal());
    Trainer trainer = new Trainer(graph, new Trainer.Listener() {
      @Override
      public void message(String line) {
        bar.message(line);
      }

      @Override
      public void step(int epoch, int step, int steps, double meanLoss, double seconds) {
        bar.update("epoch " + epoch + "/" + epochs, step, steps, seconds,
            String.format(Locale.ROOT, "loss %.4f", meanLoss));
      }
    });
    List<Trainer.Epoch> run = trainer.train(train, validation, new Trainer.Settings(
        epochs, batchSize, learningRate, patience, seed, maxSteps,
        microBatch == 0 ? batchSize : microBatch));
    double trainingSeconds = (System.nanoTime() - started) / 1e9;
    Trainer.Errors errors = trainer.evaluate(test,
        microBatch == 0 ? batchSize : microBatch);
    out.printf(Locale.ROOT, "test: MSE %.4f MAE %.4f over %d windows; %.0f s in all%n", errors.mse(),
        errors.mae(), errors.windows(), (System.nanoTime() - started) / 1e9);
    Path target = checkpointDirectory();
    if (target != null) {
      String modelName = name != null ? name : baseName(input.data);
      InformerForecaster forecaster = InformerProvider.forecaster(modelName,
          target.getFileName().toString(), graph, scaler, series, targets);
      Trainer.Epoch best = run.stream()
          .min(java.util.Comparator.comparingDouble(Trainer.Epoch::validationMse))
          .orElseThrow();
      Map<String, Object> training = new TreeMap<>();
      training.put("seed", seed);
      training.put("dropout", model.dropout);
      training.put("epochsRun", run.size());
      training.put("bestEpoch", best.number());
      training.put("batchSize", batchSize);
      training.put("learningRate", learningRate);
      training.put("patience", patience);
      training.put("split", input.split);
      training.put("mode", input.mode.name());
      training.put("seconds", Math.round(trainingSeconds));
      Map<String, Double> metrics = Map.of("test.mse", errors.mse(), "test.mae", errors.mae(),
          "test.windows", (double) errors.windows(), "validation.mse", best.validationMse());
      InformerCheckpoint.save(target, forecaster,
          Checkpoints.fingerprint(input.data.toString(), parts.train(series)), training, metrics);
      out.println("checkpoint written to " + target);
    }
    out.flush();
  }

  private Windows windows(TimeSeries rows, StandardScaler scaler, int[] in, int[] out,
      CalendarEmbedding calendar) {
    return new Windows(rows, scaler, in, out, model.inputLength, model.horizon,
        calendar.encode(rows.frequency(), rows.timestamps()));
  }

  private Path checkpointDirectory() {
    if (save != null && registry != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give --save or --registry, not both");
    }
    if (registry != null) {
      return new Registry(registry).nextVersion(name != null ? name : baseName(input.data));
    }
    return save;
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}

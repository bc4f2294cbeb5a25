package io.tidecast.zoo.cli;

import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Registry;
import io.tidecast.zoo.data.Split;
import io.tidecast.zoo.train.GraphKind;
import io.tidecast.zoo.train.GraphTraining;
import io.tidecast.zoo.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code zoo train}: trains a model kind ({@code --model}, Informer by default) on a CSV series
 * with its schedule and reports its test errors on standardised values. The seed fixes
 * initialisation, shuffling, dropout and samples. With {@code --save} or {@code --registry} it
 * writes a checkpoint, test errors included.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model (Informer, LMUFormer, ...) on a CSV series; report test MSE and"
        + " MAE (standardised).")
final class TrainCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  DataOptions input;

  @Mixin
  InformerOptions model;

  @Option(names = "--model", defaultValue = "informer",
      description = "Model kind: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
      completionCandidates = Kinds.class)
  String kind;

  @Option(names = {"-o", "--option"},
      description = "A model option as key=value, such as order=64 for lmuformer.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--epochs", description = "Epochs at most (default: the kind's; Informer 6).")
  Integer epochs;

  @Option(names = "--batch-size", description = "Default 32.")
  Integer batchSize;

  @Option(names = "--lr", description = "Adam learning rate, halved every epoch (default: the kind's; Informer 1e-4).")
  Double learningRate;

  @Option(names = "--patience", description = "Epochs without improvement before stopping (default 3).")
  Integer patience;

  @Option(names = "--micro-batch",
      description = "Split each batch into parts of this many windows and average their gradients,"
          + " to bound memory (default 0: whole batches).")
  Integer microBatch;

  @Option(names = "--threads",
      description = "Threads that run the parts of a batch side by side (give --micro-batch too; default 1)."
          + " Run with OMP_NUM_THREADS=1 so that each uses one core.")
  Integer threads;

  @Option(names = "--max-steps", description = "Cap on steps per epoch.")
  Integer maxSteps;

  @Option(names = "--seed", description = "Fixes initialisation, shuffling, dropout and samples (default 1).")
  Long seed;

  @Option(names = "--save", description = "Write the trained model as a checkpoint to this (new) directory.")
  Path save;

  @Option(names = "--registry", description = "Write the checkpoint as the next version of --name in this registry folder.")
  Path registry;

  @Option(names = "--name", description = "Model name in the checkpoint (default: the file name, e.g. ETTh1).")
  String name;

  /** The trainable kinds, for the help text. */
  static final class Kinds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return GraphTraining.kinds().stream().map(GraphKind::kind).sorted().iterator();
    }
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    if (save != null && registry != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give --save or --registry, not both");
    }
    TimeSeries series = input.mode.inputs(input.readAll(), input.target);
    List<String> targets = input.mode.targets(input.target);
    Split parts = input.split(series);
    GraphKind graphKind = GraphTraining.kind(kind);
    String modelName = name != null ? name : baseName(input.data);
    GraphTraining training = new GraphTraining(graphKind, parts.train(series), new ModelSettings(
        modelName, model.inputLength, model.horizon, targets, options()));
    TimeSeries validation = parts.validation(series, model.inputLength);
    TimeSeries test = parts.test(series, model.inputLength);
    Trainer.Settings schedule = training.schedule();
    out.printf(Locale.ROOT, "%s: mode %s, %s %s; windows train %d, validation %d, test %d%n",
        input.data, input.mode, kind, training.effectiveOptions(),
        training.windows(parts.train(series)).count(), training.windows(validation).count(),
        training.windows(test).count());
    ProgressBar bar = new ProgressBar(out, ProgressBar.onTerminal());
    Trainer.Listener listener = new Trainer.Listener() {
      @Override
      public void message(String line) {
        bar.message(line);
      }

      @Override
      public void step(int epoch, int step, int steps, double meanLoss, double seconds) {
        bar.update("epoch " + epoch + "/" + schedule.epochs(), step, steps, seconds,
            String.format(Locale.ROOT, "loss %.4f", meanLoss));
      }
    };
    List<Trainer.Epoch> run = training.run(validation, listener);
    double trainingSeconds = (System.nanoTime() - started) / 1e9;
    Trainer.Errors errors = training.evaluate(test, listener);
    out.printf(Locale.ROOT, "test: MSE %.4f MAE %.4f over %d windows; %.0f s in all%n", errors.mse(),
        errors.mae(), errors.windows(), (System.nanoTime() - started) / 1e9);
    Path target = checkpointDirectory();
    if (target != null) {
      WindowForecaster forecaster = training.forecaster(modelName,
          target.getFileName().toString());
      Trainer.Epoch best = run.stream().min(Comparator.comparingDouble(Trainer.Epoch::validationMse))
          .orElseThrow();
      Map<String, Object> settings = new TreeMap<>(training.effectiveOptions());
      settings.put("seed", training.seed());
      settings.put("epochsRun", run.size());
      settings.put("bestEpoch", best.number());
      settings.put("split", input.split);
      settings.put("mode", input.mode.name());
      settings.put("seconds", Math.round(trainingSeconds));
      Map<String, Double> metrics = Map.of("test.mse", errors.mse(), "test.mae", errors.mae(),
          "test.windows", (double) errors.windows(), "validation.mse", best.validationMse());
      Checkpoints.save(target, graphKind.kind(), training.model().config(), forecaster,
          training.model().graph().weights(),
          Checkpoints.fingerprint(input.data.toString(), parts.train(series)), settings, metrics);
      out.println("checkpoint written to " + target);
    }
    out.flush();
  }

  /** Flags and {@code -o} options together; a flag and an option for the same key must agree. */
  private Map<String, String> options() {
    Map<String, String> all = new LinkedHashMap<>(model.options());
    InformerOptions.put(all, "epochs", epochs);
    InformerOptions.put(all, "batch-size", batchSize);
    InformerOptions.put(all, "lr", learningRate);
    InformerOptions.put(all, "patience", patience);
    InformerOptions.put(all, "micro-batch", microBatch);
    InformerOptions.put(all, "max-steps", maxSteps);
    InformerOptions.put(all, "threads", threads);
    InformerOptions.put(all, "seed", seed);
    options.forEach((key, value) -> {
      String flag = all.putIfAbsent(key, value);
      if (flag != null && !flag.equals(value)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "option " + key + " is given"
            + " twice, as " + flag + " and as " + value);
      }
    });
    return all;
  }

  private Path checkpointDirectory() {
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

package io.tidecast.zoo.train;

import io.tidecast.zoo.data.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reference training schedule: Adam, the learning rate halved after every epoch, shuffled
 * batches, validation MSE after each epoch, early stopping after {@code patience} epochs without
 * improvement, and the best epoch's parameters kept. Batch-norm running averages (momentum 0.1,
 * unbiased variance) are folded in after every step. A batch may be split into micro-batches
 * whose gradients are averaged ({@link Settings#microBatch}), for memory.
 */
public final class Trainer {

  private static final double BATCH_NORM_MOMENTUM = 0.1;

  /**
   * How to train.
   *
   * @param microBatch windows per forward and backward pass; a batch of {@code batchSize} is
   *     split into parts of this size whose gradients are averaged, so that a step's intermediate
   *     arrays are a fraction of the batch's (batch norm then takes its statistics per part)
   * @param threads threads that run a batch's parts side by side (each its share of the parts,
   *     see {@link Adam#step(List, List, Runnable, int)}); at most the number of parts
   */
  public record Settings(int epochs, int batchSize, double learningRate, int patience,
      long seed, int maxStepsPerEpoch, int microBatch, int threads) {

    public Settings {
      if (microBatch < 1 || batchSize % microBatch != 0) {
        throw new IllegalArgumentException("micro-batch " + microBatch
            + " must divide the batch size " + batchSize);
      }
      if (threads < 1 || threads > batchSize / microBatch) {
        throw new IllegalArgumentException("threads " + threads + " must be between 1 and the "
            + batchSize / microBatch + " parts of a batch (batch size " + batchSize
            + ", micro-batch " + microBatch + ")");
      }
    }

    /** One thread. */
    public Settings(int epochs, int batchSize, double learningRate, int patience, long seed,
        int maxStepsPerEpoch, int microBatch) {
      this(epochs, batchSize, learningRate, patience, seed, maxStepsPerEpoch, microBatch, 1);
    }

    /** Whole batches, no splitting. */
    public Settings(int epochs, int batchSize, double learningRate, int patience, long seed,
        int maxStepsPerEpoch) {
      this(epochs, batchSize, learningRate, patience, seed, maxStepsPerEpoch, batchSize);
    }

    public static Settings reference(long seed) {
      return new Settings(6, 32, 1e-4, 3, seed, Integer.MAX_VALUE);
    }
  }

  /** One epoch: mean training loss, validation MSE, wall time. */
  public record Epoch(int number, double trainLoss, double validationMse, double seconds,
      double learningRate) {}

  /** Mean squared and absolute error over windows x steps x channels, standardised. */
  public record Errors(double mse, double mae, int windows) {}

  /** What a training run reports as it goes. */
  public interface Listener {

    /** A line worth showing: an epoch's result, early stopping. */
    void message(String line);

    /**
     * After every step, with the epoch's mean loss so far; by default a line every 50 steps with
     * the time left in the epoch.
     */
    default void step(int epoch, int step, int steps, double meanLoss, double seconds) {
      if (step % 50 == 0 || step == steps) {
        message(String.format(Locale.ROOT, "epoch %d step %d/%d loss %.4f  %.1f s, ETA %.0f s",
            epoch, step, steps, meanLoss, seconds, seconds / step * (steps - step)));
      }
    }
  }

  private final TrainableGraph graph;
  private final Listener progress;

  public Trainer(TrainableGraph graph, Listener progress) {
    this.graph = graph;
    this.progress = progress;
  }

  /**
   * Trains; returns the epochs run (epoch 0: a closed-form fit before training, when the graph
   * has one), leaving the graph at the best one's parameters.
   */
  public List<Epoch> train(Windows train, Windows validation, Settings settings) {
    Adam adam = new Adam(graph.sameDiff(), settings.learningRate());
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<String> outputs = new ArrayList<>(List.of(TrainableGraph.LOSS));
    for (String bn : graph.batchNorms()) {
      outputs.add(bn + "/batchMean");
      outputs.add(bn + "/batchVariance");
    }
    List<Epoch> epochs = new ArrayList<>();
    Map<String, INDArray> best = null;
    double bestMse = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    long fitting = System.nanoTime();
    if (graph.initialise(train)) {
      bestMse = evaluate(validation, settings.microBatch(), settings.threads()).mse();
      best = snapshot();
      epochs.add(new Epoch(0, Double.NaN, bestMse, (System.nanoTime() - fitting) / 1e9, 0));
      progress.message(String.format(Locale.ROOT,
          "epoch 0 (closed-form fit): validation MSE %.4f, %.0f s", bestMse,
          (System.nanoTime() - fitting) / 1e9));
    }
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      long start = System.nanoTime();
      int[] order = shuffled(train.count(), random);
      int steps = Math.min(order.length / settings.batchSize(), settings.maxStepsPerEpoch());
      double lossSum = 0;
      for (int s = 0; s < steps; s++) {
        int[] starts = java.util.Arrays.copyOfRange(order, s * settings.batchSize(),
            (s + 1) * settings.batchSize());
        Map<String, INDArray> samples = graph.freshSamples(random);
        List<Map<String, INDArray>> parts = new ArrayList<>();
        for (int from = 0; from < starts.length; from += settings.microBatch()) {
          Map<String, INDArray> feed = graph.feed(train.batch(java.util.Arrays.copyOfRange(starts,
              from, from + settings.microBatch())), true);
          feed.putAll(samples);
          // new dropout masks for every forward pass, drawn from the run's seeded generator
          feed.putAll(Layers.dropoutMasks(graph.sameDiff(), random, settings.microBatch()));
          parts.add(feed);
        }
        List<Map<String, INDArray>> out = parts.size() == 1
            ? List.of(adam.step(parts.get(0), outputs))
            // no collection between parts: it would stop every thread, and a part's gradients
            // are freed as they are summed
            : adam.step(parts, outputs, () -> { }, settings.threads());
        for (Map<String, INDArray> part : out) {
          lossSum += part.get(TrainableGraph.LOSS).getDouble(0) / out.size();
          foldBatchNorms(part, settings.microBatch(), out.size());
        }
        releaseNativeMemory();
        progress.step(epoch, s + 1, steps, lossSum / (s + 1), (System.nanoTime() - start) / 1e9);
      }
      double validationMse = evaluate(validation, settings.microBatch(), settings.threads()).mse();
      Epoch e = new Epoch(epoch, lossSum / Math.max(1, steps), validationMse,
          (System.nanoTime() - start) / 1e9, adam.learningRate());
      epochs.add(e);
      progress.message(String.format(Locale.ROOT,
          "epoch %d: train %.4f, validation MSE %.4f, %.0f s, lr %.2e", e.number(),
          e.trainLoss(), e.validationMse(), e.seconds(), e.learningRate()));
      if (validationMse < bestMse) {
        bestMse = validationMse;
        best = snapshot();
        sinceBest = 0;
      } else if (++sinceBest >= settings.patience()) {
        progress.message("early stop: no improvement for " + sinceBest + " epochs");
        break;
      }
      adam.learningRate(adam.learningRate() / 2);
    }
    if (best != null) {
      graph.load(best);
    }
    return epochs;
  }

  /** Forecasts every window (inference mode, fixed samples) and scores it against the truth. */
  public Errors evaluate(Windows windows, int batchSize) {
    return evaluate(windows, batchSize, 1);
  }

  /**
   * As {@link #evaluate(Windows, int)}, with {@code threads} threads each forecasting a contiguous
   * share of the batches; their sums are added in order, so the result depends on the number of
   * threads only in the last bits.
   */
  public Errors evaluate(Windows windows, int batchSize, int threads) {
    int batches = (windows.count() + batchSize - 1) / batchSize;
    int shares = Math.max(1, Math.min(threads, batches));
    List<Callable<double[]>> tasks = new ArrayList<>();
    for (int t = 0; t < shares; t++) {
      int first = t * batches / shares;
      int last = (t + 1) * batches / shares;
      tasks.add(shares == 1 ? () -> errorSums(windows, batchSize, first, last) : () -> {
        try {
          return errorSums(windows, batchSize, first, last);
        } finally {
          // a worker outlives this model: free what its inference set up on the thread
          Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
      });
    }
    double squared = 0;
    double absolute = 0;
    long n = 0;
    for (double[] sums : Parallel.each(tasks)) {
      squared += sums[0];
      absolute += sums[1];
      n += (long) sums[2];
    }
    return new Errors(squared / n, absolute / n, windows.count());
  }

  /** Squared and absolute error sums and the count of values, over batches [first, last). */
  private double[] errorSums(Windows windows, int batchSize, int first, int last) {
    double squared = 0;
    double absolute = 0;
    long n = 0;
    Function<Windows.Batch, INDArray> inference = graph.inference();
    for (int b = first; b < last; b++) {
      int from = b * batchSize;
      int[] starts = new int[Math.min(batchSize, windows.count() - from)];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = from + i;
      }
      Windows.Batch batch = windows.batch(starts);
      INDArray forecast = inference.apply(batch);
      INDArray error = forecast.castTo(batch.target().dataType()).sub(batch.target());
      squared += error.mul(error).sumNumber().doubleValue();
      absolute += Transforms.abs(error).sumNumber().doubleValue();
      n += error.length();
      releaseNativeMemory();
    }
    return new double[] {squared, absolute, n};
  }

  /**
   * Arrays handed out by a pass (gradients, outputs, and intermediates the graph's array cache
   * cannot hold) live in native memory that is freed only when the collector reaches their Java
   * handles, which a small heap does rarely: without this the process grows by their size every
   * step, and every step pays for touching fresh pages. Collecting after each step keeps the
   * resident size flat; with a heap of a few hundred megabytes a collection takes milliseconds.
   */
  private static void releaseNativeMemory() {
    System.gc();
  }

  /**
   * Folds one part's batch statistics into the running averages; with {@code parts} parts per
   * step, each carries {@code 1 / parts} of the step's momentum.
   */
  private void foldBatchNorms(Map<String, INDArray> out, int windows, int parts) {
    double momentum = BATCH_NORM_MOMENTUM / parts;
    for (String bn : graph.batchNorms()) {
      long valuesPerChannel = (long) windows * graph.batchNormSteps(bn);
      double unbias = valuesPerChannel > 1 ? valuesPerChannel / (valuesPerChannel - 1.0) : 1;
      INDArray mean = graph.sameDiff().getArrForVarName(bn + TrainableGraph.RUNNING_MEAN);
      INDArray variance = graph.sameDiff().getArrForVarName(bn + TrainableGraph.RUNNING_VARIANCE);
      mean.muli(1 - momentum).addi(out.get(bn + "/batchMean").mul(momentum));
      variance.muli(1 - momentum).addi(out.get(bn + "/batchVariance").mul(momentum * unbias));
    }
  }

  private Map<String, INDArray> snapshot() {
    Map<String, INDArray> copy = new HashMap<>();
    graph.weights().forEach((name, value) -> copy.put(name, value.dup()));
    return copy;
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}

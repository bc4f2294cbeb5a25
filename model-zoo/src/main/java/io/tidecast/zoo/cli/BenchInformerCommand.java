package io.tidecast.zoo.cli;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerForecaster;
import io.tidecast.zoo.informer.InformerGraph;
import io.tidecast.zoo.informer.InformerProvider;
import io.tidecast.zoo.train.Adam;
import io.tidecast.zoo.train.Trainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code zoo bench-informer}: training and serving speed of one Informer configuration, its peak
 * resident memory while training, and optionally the resident size over a long serve loop. FLOPs
 * per window are counted from the configuration ({@link InformerConfig#forwardFlops()}) and set
 * against sgemm measured in the same run.
 */
@Command(name = "bench-informer", mixinStandardHelpOptions = true,
    description = "Informer training and inference windows/s, GFLOP/s against sgemm, peak RSS,"
        + " and RSS over a serve loop.")
final class BenchInformerCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  InformerOptions model;

  @Option(names = "--channels", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  int channels;

  @Option(names = "--train-steps", defaultValue = "12",
      description = "Training steps at batch 32 (the first, which builds the gradient graph, is"
          + " not timed; 0: no training). Default: ${DEFAULT-VALUE}.")
  int trainSteps;

  @Option(names = "--micro-batch", defaultValue = "32",
      description = "Training micro-batch (32: whole batches). Default: ${DEFAULT-VALUE}.")
  int microBatch;

  @Option(names = "--threads", defaultValue = "1",
      description = "Training threads, each its share of a batch's micro-batches (run with"
          + " OMP_NUM_THREADS=1). Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--repeats", defaultValue = "15",
      description = "Timed inference calls per batch size. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--warmups", defaultValue = "10",
      description = "Untimed inference calls before them (the JIT compiler's warm-up)."
          + " Default: ${DEFAULT-VALUE}.")
  int warmups;

  @Option(names = "--op-times", defaultValue = "0",
      description = "Print the N op types and ops that take the most time in a training step"
          + " (0: none). Default: ${DEFAULT-VALUE}.")
  int opTimes;

  @Option(names = "--serve-batches", defaultValue = "0",
      description = "Length of the serve loop whose RSS is sampled (0: none).")
  int serveBatches;

  @Option(names = "--serve-batch-size", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int serveBatchSize;

  @Override
  public void run() {
    if (opTimes > 0 && threads > 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--op-times times one thread's ops: give it with --threads 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    InformerConfig config = model.config(channels, channels,
        model.calendar().size(Frequency.HOURLY));
    double flops = config.forwardFlops();
    out.printf(Locale.ROOT, "%s, %s cores%n%s%nforward: %.3f GFLOP per window%n",
        Timing.cpuModel(), Runtime.getRuntime().availableProcessors(), config, flops / 1e9);
    double sgemmBefore = Timing.sgemmGflops(2048);
    out.printf(Locale.ROOT, "sgemm 2048^3: %.1f GFLOP/s%n", sgemmBefore);
    out.flush();

    TimeSeries series = Timing.syntheticSeries(
        config.inputLength() + config.horizon() + 64 * 8 + 64, channels);
    StandardScaler scaler = StandardScaler.fit(series.values(), 0, series.length());
    int[] all = Windows.indices(series, series.channels());
    Windows windows = new Windows(series, scaler, all, all, config.inputLength(), config.horizon(),
        model.calendar().encode(series.frequency(), series.timestamps()));

    InformerGraph graph = InformerGraph.build(config, DataType.FLOAT, 1);
    if (trainSteps > 0) {
      train(out, graph, series, scaler, windows, flops);
    }
    // inference through the served forecaster
    InformerForecaster model = InformerProvider.forecaster("bench", "1", graph, scaler, series,
        series.channels());
    List<SeriesWindow> pool = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      pool.add(series.window(i * 8, config.inputLength()));
    }
    for (int batch : new int[] {1, 64}) {
      List<SeriesWindow> input = pool.subList(0, batch);
      double ms = Timing.medianMillis(() -> model.forecast(input), warmups, repeats, false);
      double perSecond = batch * 1000 / ms;
      out.printf(Locale.ROOT, "inference batch %d: %.2f ms = %.1f windows/s, %.1f GFLOP/s%n",
          batch, ms, perSecond, perSecond * flops / 1e9);
      out.flush();
    }

    if (serveBatches > 0) {
      serveLoop(out, model, pool.subList(0, serveBatchSize));
    }
    double sgemmAfter = Timing.sgemmGflops(2048);
    out.printf(Locale.ROOT, "sgemm 2048^3 again: %.1f GFLOP/s%n", sgemmAfter);
    out.flush();
  }

  /** Training steps at batch 32; the peak resident size over the whole run. */
  private void train(PrintWriter out, InformerGraph graph, TimeSeries series, StandardScaler scaler,
      Windows windows, double flops) {
    int[] all = Windows.indices(series, series.channels());
    InformerConfig c = graph.config();
    TimeSeries validation = series.slice(0, c.inputLength() + c.horizon());
    List<Double> stepSeconds = new ArrayList<>();
    double[] last = {0};
    Timing.collectGarbage();
    long rssBefore = Timing.statusBytes("VmRSS");
    Timing.resetPeakRss();
    OpTimes ops = new OpTimes();
    if (opTimes > 0) {
      Adam.gradientGraph(graph.sameDiff()).addListeners(ops);
    }
    new Trainer(graph, new Trainer.Listener() {
      @Override
      public void message(String line) {}

      @Override
      public void step(int epoch, int step, int steps, double meanLoss, double seconds) {
        if (step > 1) {
          stepSeconds.add(seconds - last[0]);
        } else {
          ops.reset(); // the first step builds and warms up
        }
        last[0] = seconds;
      }
    }).train(windows, new Windows(validation, scaler, all, all, c.inputLength(), c.horizon(),
        model.calendar().encode(validation.frequency(), validation.timestamps())),
        new Trainer.Settings(1, 32, 1e-4, 1, 1, trainSteps, microBatch, threads));
    long trainPeak = Timing.statusBytes("VmHWM");
    double stepMedian = median(stepSeconds);
    out.printf(Locale.ROOT, "training: micro-batch %d, %d thread(s); median step %.3f s at batch 32 (%d timed"
            + " steps) = %.1f windows/s, %.1f GFLOP/s at 3x forward; peak RSS %.2f GB (%.2f GB"
            + " before)%n", microBatch, threads, stepMedian, stepSeconds.size(), 32 / stepMedian,
        3 * flops * 32 / stepMedian / 1e9, trainPeak / 1e9, rssBefore / 1e9);
    out.flush();
    if (opTimes > 0) {
      ops.print(out, stepSeconds.size(), opTimes);
    }

  }

  /** The resident size every twentieth of the loop; the first tenth is warm-up. */
  private void serveLoop(PrintWriter out, InformerForecaster model, List<SeriesWindow> batch) {
    int every = Math.max(1, serveBatches / 20);
    int warmup = Math.max(1, serveBatches / 10);
    long atWarmup = 0;
    long highest = 0;
    long start = System.nanoTime();
    StringBuilder samples = new StringBuilder();
    for (int i = 1; i <= serveBatches; i++) {
      model.forecast(batch);
      if (i == warmup) {
        atWarmup = Timing.statusBytes("VmRSS");
      }
      if (i % every == 0) {
        long rss = Timing.statusBytes("VmRSS");
        samples.append(String.format(Locale.ROOT, " %d:%.0f", i, rss / 1e6));
        if (i > warmup) {
          highest = Math.max(highest, rss);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "serve loop: %d batches of %d in %.0f s; RSS MB by batch:%s%n",
        serveBatches, batch.size(), seconds, samples);
    out.printf(Locale.ROOT, "serve loop: RSS after warm-up (batch %d) %.0f MB, highest later"
        + " %.0f MB: %+.1f%%%n", warmup, atWarmup / 1e6, highest / 1e6,
        100.0 * (highest - atWarmup) / atWarmup);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }
}

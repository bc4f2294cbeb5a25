package io.tidecast.zoo.cli;

import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.forecaster.attention.AttentionKernel;
import io.tidecast.forecaster.attention.FullAttention;
import io.tidecast.forecaster.attention.MultiHeadAttention;
import io.tidecast.forecaster.attention.MultiHeadWeights;
import io.tidecast.forecaster.attention.ProbSparseAttention;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zoo bench-attention}: one multi-head self-attention layer (8 heads, d_model 512) with full
 * and with ProbSparse attention over a range of lengths and batch sizes: median time of the layer,
 * peak resident memory of the attention kernel alone and of the layer, and sgemm GFLOP/s measured
 * in the same run as the yardstick.
 *
 * <p>Each configuration runs in a fresh JVM, so that its peak memory is its own. Peaks are taken
 * on a call outside any workspace; times inside an inference workspace that the first call sizes,
 * as the service runs. The size that workspace learned is every byte the kernel allocates in one
 * call, a deterministic measure beside the noisier resident-set peak.
 */
@Command(name = "bench-attention", mixinStandardHelpOptions = true,
    description = "Time and measure one attention layer, full vs ProbSparse, across lengths.")
final class BenchAttentionCommand implements Callable<Integer> {

  private static final int D_MODEL = 512;
  private static final int HEADS = 8;
  private static final int HEAD_DIM = D_MODEL / HEADS;
  private static final int FACTOR = 5;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--lengths", split = ",",
      defaultValue = "96,192,384,768,1536,3072,6144", description = "Sequence lengths.")
  List<Integer> lengths;

  @Option(names = "--batches", split = ",", defaultValue = "1,32", description = "Batch sizes.")
  List<Integer> batches;

  @Option(names = "--repeats", defaultValue = "7",
      description = "Least timed runs per configuration; short ones get more (3 over 2 s).")
  int repeats;

  @Option(names = "--max-score-gb", defaultValue = "4",
      description = "Skip a configuration whose full score matrix alone would exceed this.")
  double maxScoreGb;

  @Option(names = "--one", hidden = true, description = "kernel:batch:length, run in this JVM.")
  String one;

  private record Result(String kernel, int batch, int length, double layerMs, double kernelMs,
      long kernelPeak, long layerPeak, long kernelWorkspace, long scoreBytes) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (one != null) {
      String[] parts = one.split(":");
      Result r = measure(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
      out.printf(Locale.ROOT, "RESULT %s %d %d %.4f %.4f %d %d %d %d%n", r.kernel(), r.batch(),
          r.length(), r.layerMs(), r.kernelMs(), r.kernelPeak(), r.layerPeak(),
          r.kernelWorkspace(), r.scoreBytes());
      return 0;
    }
    out.printf("machine: nproc %d, %s; backend %s%n", Runtime.getRuntime().availableProcessors(),
        Timing.cpuModel(), Nd4j.getBackend().getClass().getSimpleName());
    double sgemmBefore = Timing.sgemmGflops(2048);
    out.printf(Locale.ROOT, "sgemm 2048^3: %.1f GFLOP/s%n", sgemmBefore);
    out.println("| kernel | batch | L | layer ms | kernel ms | kernel peak RSS MB"
        + " | layer peak RSS MB | kernel workspace MB | score arrays MB (from shapes) |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    List<Result> results = new ArrayList<>();
    for (int batch : batches) {
      for (int length : lengths) {
        for (String kernel : new String[] {"full", "prob"}) {
          double scoreGb = (double) batch * HEADS * length * length * 4 / 1e9;
          if (kernel.equals("full") && scoreGb > maxScoreGb) {
            out.printf(Locale.ROOT, "| full | %d | %d | skipped: the scores alone need %.1f GB |"
                + " | | | | |%n", batch, length, scoreGb);
            continue;
          }
          Result r = child(kernel, batch, length);
          results.add(r);
          out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f |%n",
              r.kernel(), r.batch(), r.length(), r.layerMs(), r.kernelMs(),
              r.kernelPeak() / 1e6, r.layerPeak() / 1e6, r.kernelWorkspace() / 1e6,
              r.scoreBytes() / 1e6);
          out.flush();
        }
      }
    }
    double sgemmAfter = Timing.sgemmGflops(2048);
    out.printf(Locale.ROOT, "sgemm 2048^3 again: %.1f GFLOP/s%n", sgemmAfter);
    summarise(out, results, (sgemmBefore + sgemmAfter) / 2);
    return 0;
  }

  private void summarise(PrintWriter out, List<Result> results, double sgemm) {
    for (int batch : batches) {
      for (String kernel : new String[] {"full", "prob"}) {
        List<Result> span = results.stream().filter(r -> r.batch() == batch
            && r.kernel().equals(kernel) && r.length() >= 768).toList();
        if (span.size() >= 2) {
          out.printf(Locale.ROOT, "batch %d %s: layer time ~ L^%.3f, kernel time ~ L^%.3f,"
              + " kernel peak RSS ~ L^%.3f, kernel workspace ~ L^%.3f over L %d..%d"
              + " (L log L over the same span is L^%.3f)%n",
              batch, kernel, slope(span, Result::layerMs), slope(span, Result::kernelMs),
              slope(span, r -> r.kernelPeak()), slope(span, r -> r.kernelWorkspace()),
              span.get(0).length(), span.get(span.size() - 1).length(),
              lLogLSlope(span.get(0).length(), span.get(span.size() - 1).length()));
        }
      }
      for (Result full : results) {
        results.stream().filter(p -> p.kernel().equals("prob") && full.kernel().equals("full")
            && p.batch() == batch && full.batch() == batch && p.length() == full.length())
            .forEach(p -> out.printf(Locale.ROOT, "batch %d L %d: ProbSparse %.2fx faster"
                + " (layer), %.2fx (kernel)%n", batch, p.length(), full.layerMs() / p.layerMs(),
                full.kernelMs() / p.kernelMs()));
      }
    }
    for (Result r : results) {
      if (r.kernel().equals("full") && r.length() <= 96) {
        double flops = 4.0 * r.batch() * HEADS * r.length() * r.length() * HEAD_DIM
            + 8.0 * r.batch() * r.length() * D_MODEL * D_MODEL;
        double gflops = flops / r.layerMs() / 1e6;
        out.printf(Locale.ROOT, "full, batch %d, L %d: %.2f GFLOP in %.2f ms = %.1f GFLOP/s,"
            + " %.0f%% of sgemm (%.1f)%n", r.batch(), r.length(), flops / 1e9, r.layerMs(),
            gflops, 100 * gflops / sgemm, sgemm);
      }
    }
  }

  /**
   * Least-squares slope of log(y) on log(L), over the points with y above zero (a resident-set
   * growth can read as zero or below when freed memory is reused); NaN with fewer than two.
   */
  private static double slope(List<Result> all, ToDoubleFunction<Result> y) {
    List<Result> span = all.stream().filter(r -> y.applyAsDouble(r) > 0).toList();
    if (span.size() < 2) {
      return Double.NaN;
    }
    double n = span.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Result r : span) {
      double x = Math.log(r.length());
      double v = Math.log(y.applyAsDouble(r));
      sx += x;
      sy += v;
      sxx += x * x;
      sxy += x * v;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  private static double lLogLSlope(int from, int to) {
    return Math.log(to * Math.log(to) / (from * Math.log(from))) / Math.log((double) to / from);
  }

  private Result child(String kernel, int batch, int length)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx2g",
        "-Dorg.bytedeco.javacpp.maxbytes=0", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), ZooCommand.class.getName(),
        "bench-attention", "--repeats", Integer.toString(repeats),
        "--one", kernel + ":" + batch + ":" + length));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    int exit = process.waitFor();
    for (String line : lines) {
      if (line.startsWith("RESULT ")) {
        String[] f = line.split(" ");
        return new Result(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
            Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]),
            Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]));
      }
    }
    throw new IllegalStateException(kernel + " batch " + batch + " L " + length
        + " failed (exit " + exit + "): " + String.join("\n", lines));
  }

  private Result measure(String kernelName, int batch, int length) {
    AttentionKernel kernel = kernelName.equals("full")
        ? FullAttention.INSTANCE : new ProbSparseAttention(FACTOR, 1);
    MultiHeadAttention.Inference layer = new MultiHeadAttention(D_MODEL, HEADS, false, kernel)
        .inference(MultiHeadWeights.random(D_MODEL, DataType.FLOAT, new SplittableRandom(1)));
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.randn(DataType.FLOAT, batch, length, D_MODEL);
    INDArray q = Nd4j.randn(DataType.FLOAT, batch, HEADS, length, HEAD_DIM);
    INDArray k = Nd4j.randn(DataType.FLOAT, batch, HEADS, length, HEAD_DIM);
    INDArray v = Nd4j.randn(DataType.FLOAT, batch, HEADS, length, HEAD_DIM);
    double scale = 1.0 / Math.sqrt(HEAD_DIM);

    kernel.attend(q, k, v, false, scale); // warm-up, untimed
    long kernelPeak = peakOf(() -> kernel.attend(q, k, v, false, scale));
    long layerPeak = peakOf(() -> layer.forward(x, false));
    // Timed inside a workspace, as the service runs: the first call sizes it, later calls reuse it.
    Runnable layerCall = inWorkspace("bench-layer", () -> layer.forward(x, false));
    Runnable kernelCall = inWorkspace("bench-kernel", () -> kernel.attend(q, k, v, false, scale));
    double layerMs = timeAdaptively(layerCall);
    double kernelMs = timeAdaptively(kernelCall);
    long workspace = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("bench-kernel")
        .getCurrentSize();
    return new Result(kernelName, batch, length, layerMs, kernelMs, kernelPeak, layerPeak,
        workspace, scoreBytes(kernelName, batch, length));
  }

  /**
   * Median of timed runs after warm-up, both sized from one call's time: short calls get many
   * warm-up runs (the JIT compiles ND4J's Java side) and many timed runs; calls over 2 s get 3.
   */
  private double timeAdaptively(Runnable call) {
    call.run(); // sizes the workspace
    long start = System.nanoTime();
    call.run();
    double ms = Math.max(0.01, (System.nanoTime() - start) / 1e6);
    if (ms > 2000) {
      return Timing.medianMillis(call, 0, 3, false);
    }
    int warmups = (int) Math.min(300, 1500 / ms);
    int runs = (int) Math.max(repeats, Math.min(201, 2000 / ms));
    return Timing.medianMillis(call, warmups, runs, false);
  }

  private static Runnable inWorkspace(String id, Runnable body) {
    return () -> {
      try (MemoryWorkspace ws = InferenceWorkspace.open(id)) {
        body.run();
      }
    };
  }

  /** Growth of the resident set over its value before {@code op}, at the op's highest point. */
  private static long peakOf(Runnable op) {
    Timing.collectGarbage();
    long before = Timing.statusBytes("VmRSS");
    Timing.resetPeakRss();
    op.run();
    return Timing.statusBytes("VmHWM") - before;
  }

  /** Bytes of the score arrays the kernel allocates, from their shapes. */
  private static long scoreBytes(String kernel, int batch, int length) {
    long groups = (long) batch * HEADS;
    if (kernel.equals("full")) {
      return groups * length * length * Float.BYTES;
    }
    long sampled = ProbSparseAttention.topCount(FACTOR, length);
    long active = ProbSparseAttention.topCount(FACTOR, length);
    return groups * (length * sampled + active * length) * Float.BYTES;
  }

}

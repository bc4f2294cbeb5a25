package io.tidecast.zoo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the bench commands share: medians of repeated runs, sgemm as the yardstick, peak RSS. */
public final class Timing {

  private Timing() {}

  /**
   * Median milliseconds of {@code repeats} timed runs after {@code warmups} untimed ones; with
   * {@code collect}, a garbage collection between runs, outside the timed part, so that native
   * arrays of earlier runs are freed.
   */
  public static double medianMillis(Runnable op, int warmups, int repeats, boolean collect) {
    for (int i = 0; i < warmups; i++) {
      op.run();
    }
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      if (collect) {
        collectGarbage();
      }
      long start = System.nanoTime();
      op.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[repeats / 2];
  }

  /** sgemm GFLOP/s of this backend on {@code n x n} float matrices: the median of 15 runs. */
  static double sgemmGflops(int n) {
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.create(DataType.FLOAT, n, n);
    double ms = medianMillis(() -> a.mmuli(b, c), 3, 15, false);
    return 2.0 * n * n * n / ms / 1e6;
  }

  /** Frees what unreachable ND4J arrays hold natively: their memory goes when their handles do. */
  static void collectGarbage() {
    System.gc();
    System.runFinalization();
    System.gc();
  }

  /**
   * Resets the kernel's peak-RSS mark to the current RSS (Linux).
   *
   * @throws IllegalStateException where {@code /proc/self/clear_refs} cannot be written
   */
  static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the peak-RSS mark (/proc/self/clear_refs): "
          + e.getMessage(), e);
    }
  }

  /** {@code VmRSS} or {@code VmHWM} of this process in bytes, from {@code /proc/self/status}. */
  public static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status");
  }

  /** The CPU model name from {@code /proc/cpuinfo}. */
  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  /**
   * {@code rows} hourly rows of {@code channels} daily cycles (shifted per channel) with a little
   * noise, from a fixed seed: data for speed measurements, which do not depend on the values.
   */
  static io.tidecast.forecaster.data.TimeSeries syntheticSeries(int rows, int channels) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    double[][] values = new double[rows][channels];
    java.time.Instant[] time = new java.time.Instant[rows];
    java.time.Instant start = java.time.Instant.parse("2024-01-01T00:00:00Z");
    for (int t = 0; t < rows; t++) {
      time[t] = start.plus(t, java.time.temporal.ChronoUnit.HOURS);
      for (int c = 0; c < channels; c++) {
        values[t][c] = Math.sin(2 * Math.PI * t / 24 + c) + 0.1 * random.nextGaussian();
      }
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int c = 0; c < channels; c++) {
      names.add("c" + c);
    }
    return new io.tidecast.forecaster.data.TimeSeries("bench", names,
        io.tidecast.forecaster.Frequency.HOURLY, time, values);
  }
}

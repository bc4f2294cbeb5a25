package io.tidecast.forecaster.data;

import java.util.Arrays;

/**
 * Per-channel standardisation, {@code (x - mean) / std}, with statistics fit on training rows only
 * and the population standard deviation (divisor n), as the Informer data pipeline does.
 *
 * <p>A channel that is constant over the training rows has std 0; it is scaled by 1 instead, so it
 * stays finite.
 */
public final class StandardScaler {

  private final double[] mean;
  private final double[] std;

  public StandardScaler(double[] mean, double[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(mean.length + " means but " + std.length + " stds");
    }
    this.mean = mean.clone();
    this.std = std.clone();
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] >= 0) || !Double.isFinite(mean[c]) || !Double.isFinite(std[c])) {
        throw new IllegalArgumentException("bad statistics for channel " + c + ": mean " + mean[c]
            + ", std " + std[c]);
      }
    }
  }

  /**
   * Fits on rows {@code [from, to)} of {@code rows[time][channel]}.
   *
   * @throws IllegalArgumentException if the range is empty or out of bounds
   */
  public static StandardScaler fit(double[][] rows, int from, int to) {
    if (from < 0 || to > rows.length || from >= to) {
      throw new IllegalArgumentException(
          "cannot fit a scaler on rows [" + from + ", " + to + ") of " + rows.length);
    }
    int channels = rows[from].length;
    int n = to - from;
    double[] mean = new double[channels];
    for (int t = from; t < to; t++) {
      for (int c = 0; c < channels; c++) {
        mean[c] += rows[t][c];
      }
    }
    for (int c = 0; c < channels; c++) {
      mean[c] /= n;
    }
    // Two passes: the sum of squared deviations is exact where sum(x^2) - n mean^2 would cancel.
    double[] std = new double[channels];
    for (int t = from; t < to; t++) {
      for (int c = 0; c < channels; c++) {
        double d = rows[t][c] - mean[c];
        std[c] += d * d;
      }
    }
    for (int c = 0; c < channels; c++) {
      std[c] = Math.sqrt(std[c] / n);
    }
    return new StandardScaler(mean, std);
  }

  public int channels() {
    return mean.length;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** The population standard deviations as fit (0 for a constant channel). */
  public double[] std() {
    return std.clone();
  }

  private double divisor(int channel) {
    return std[channel] == 0 ? 1 : std[channel];
  }

  public double transform(double value, int channel) {
    return (value - mean[channel]) / divisor(channel);
  }

  public double inverse(double value, int channel) {
    return value * divisor(channel) + mean[channel];
  }

  /** A scaled copy of {@code rows[time][channel]}. */
  public double[][] transform(double[][] rows) {
    return map(rows, this::transform);
  }

  /** An unscaled copy of {@code rows[time][channel]}. */
  public double[][] inverse(double[][] rows) {
    return map(rows, this::inverse);
  }

  private interface ChannelOp {
    double apply(double value, int channel);
  }

  private double[][] map(double[][] rows, ChannelOp op) {
    double[][] out = new double[rows.length][];
    for (int t = 0; t < rows.length; t++) {
      checkWidth(rows[t]);
      out[t] = new double[rows[t].length];
      for (int c = 0; c < rows[t].length; c++) {
        out[t][c] = op.apply(rows[t][c], c);
      }
    }
    return out;
  }

  /** The scaler of a subset of channels, in the given order. */
  public StandardScaler select(int... channels) {
    double[] m = new double[channels.length];
    double[] s = new double[channels.length];
    for (int i = 0; i < channels.length; i++) {
      m[i] = mean[channels[i]];
      s[i] = std[channels[i]];
    }
    return new StandardScaler(m, s);
  }

  private void checkWidth(double[] row) {
    if (row.length != mean.length) {
      throw new IllegalArgumentException(
          "row has " + row.length + " values, the scaler was fit on " + mean.length + " channels");
    }
  }

  @Override
  public String toString() {
    return "StandardScaler[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}

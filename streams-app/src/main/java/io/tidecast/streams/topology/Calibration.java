package io.tidecast.streams.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The online accuracy of one series' forecasts and the half-widths of its prediction intervals, per
 * horizon step and channel.
 *
 * <p>Each error (actual minus point forecast) of step {@code h} and channel {@code c} updates the
 * rolling MAE and MSE (exponential moving averages; plain means for the first {@code span}
 * errors), the rolling coverage of the intervals that were issued, and the half-width {@code q}.
 * For the first {@link #WARM_UP} errors {@code q} is the normal quantile times the RMS error; then it
 * tracks the quantile of absolute errors online, in proportion: a miss multiplies it by
 * {@code exp(rate * coverage)}, a hit by {@code exp(-rate * (1 - coverage))}, so that in the long
 * run the share of misses is {@code 1 - coverage} whatever the error distribution or its scale, and
 * it follows when errors grow or shrink (adaptive conformal prediction by quantile tracking, on the
 * log scale).
 */
final class Calibration {

  /** Errors of a step and channel before its half-width tracks misses. */
  static final int WARM_UP = 20;

  private static final int FIELDS = 5;

  final int horizon;
  final int channels;
  final List<String> names;
  private final int[] n;
  private final float[] q;
  private final float[] mae;
  private final float[] mse;
  private final float[] cover;

  Calibration(int horizon, List<String> names) {
    this.horizon = horizon;
    this.channels = names.size();
    this.names = List.copyOf(names);
    int size = horizon * channels;
    n = new int[size];
    q = new float[size];
    mae = new float[size];
    mse = new float[size];
    cover = new float[size];
  }

  /** The half-width of the interval for step {@code h} (0-based) and channel {@code c}; NaN before any error. */
  double halfWidth(int h, int c) {
    int i = h * channels + c;
    return n[i] == 0 ? Double.NaN : q[i];
  }

  int count(int h, int c) {
    return n[h * channels + c];
  }

  double mae(int h, int c) {
    return mae[h * channels + c];
  }

  double mse(int h, int c) {
    return mse[h * channels + c];
  }

  /** The rolling share of actuals inside the intervals issued; NaN before any. */
  double coverage(int h, int c) {
    int i = h * channels + c;
    return n[i] == 0 ? Double.NaN : cover[i];
  }

  /**
   * Scores one forecast value.
   *
   * @param issuedHalfWidth the half-width the forecast carried, or NaN if it had none
   */
  void observe(int h, int c, double error, double issuedHalfWidth, Rates settings) {
    int i = h * channels + c;
    double abs = Math.abs(error);
    n[i]++;
    double w = n[i] <= settings.span() ? Math.max(1.0 / n[i], settings.smoothing()) : settings.smoothing();
    mae[i] += (float) (w * (abs - mae[i]));
    mse[i] += (float) (w * (error * error - mse[i]));
    boolean hasInterval = !Double.isNaN(issuedHalfWidth);
    boolean missed = abs > (hasInterval ? issuedHalfWidth : q[i]);
    if (hasInterval) {
      cover[i] += (float) (w * ((missed ? 0 : 1) - cover[i]));
    }
    if (n[i] <= WARM_UP) {
      q[i] = (float) (settings.z() * Math.sqrt(mse[i]));
    } else {
      double factor = missed ? settings.widen() : settings.narrow();
      // a floor so that a width of zero (errors all zero so far) can grow again
      q[i] = (float) Math.max(q[i] * factor, 0.01 * mae[i]);
    }
  }

  byte[] encode() {
    byte[][] encoded = names.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    int size = 8 + horizon * channels * 4 * FIELDS;
    for (byte[] name : encoded) {
      size += 4 + name.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.putInt(horizon).putInt(channels);
    for (byte[] name : encoded) {
      buffer.putInt(name.length).put(name);
    }
    for (int i = 0; i < n.length; i++) {
      buffer.putInt(n[i]).putFloat(q[i]).putFloat(mae[i]).putFloat(mse[i]).putFloat(cover[i]);
    }
    return buffer.array();
  }

  static Calibration decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int horizon = buffer.getInt();
    String[] names = new String[buffer.getInt()];
    for (int i = 0; i < names.length; i++) {
      byte[] name = new byte[buffer.getInt()];
      buffer.get(name);
      names[i] = new String(name, StandardCharsets.UTF_8);
    }
    Calibration c = new Calibration(horizon, List.of(names));
    for (int i = 0; i < c.n.length; i++) {
      c.n[i] = buffer.getInt();
      c.q[i] = buffer.getFloat();
      c.mae[i] = buffer.getFloat();
      c.mse[i] = buffer.getFloat();
      c.cover[i] = buffer.getFloat();
    }
    return c;
  }

  /**
   * What scoring needs from {@link IntervalSettings}, computed once: {@code z} with P(|Z| <= z) =
   * coverage for a standard normal Z, the half-width factors of a miss ({@code widen}) and a hit
   * ({@code narrow}), and the weight of a new error in the moving averages after the first
   * {@code span} ({@code smoothing}).
   */
  record Rates(int span, double z, double widen, double narrow, double smoothing) {

    static Rates of(IntervalSettings s) {
      return new Rates(s.span(), normalQuantile(0.5 + s.coverage() / 2), Math.exp(s.rate() * s.coverage()),
          Math.exp(-s.rate() * (1 - s.coverage())), 2.0 / (s.span() + 1));
    }
  }

  /** The standard normal quantile of {@code p}, by bisection on the CDF (to 1e-9). */
  static double normalQuantile(double p) {
    double lo = -10;
    double hi = 10;
    while (hi - lo > 1e-9) {
      double mid = (lo + hi) / 2;
      if (normalCdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** The standard normal CDF (Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8). */
  static double normalCdf(double x) {
    double t = 1 / (1 + 0.2316419 * Math.abs(x));
    double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    double tail = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * poly;
    return x >= 0 ? 1 - tail : tail;
  }
}

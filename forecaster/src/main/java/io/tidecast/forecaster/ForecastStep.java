package io.tidecast.forecaster;

import java.time.Instant;
import java.util.Objects;

/**
 * One horizon step of a forecast: its target time, the point forecast per channel and, where the
 * model or the service gives them, the lower and upper bounds of a prediction interval.
 *
 * @param ts the target time
 * @param yhat point forecast, one value per output channel
 * @param lower lower bounds per channel, or null
 * @param upper upper bounds per channel, or null
 */
public record ForecastStep(Instant ts, double[] yhat, double[] lower, double[] upper) {

  public ForecastStep {
    Objects.requireNonNull(ts, "ts");
    yhat = yhat.clone();
    if ((lower == null) != (upper == null)) {
      throw new IllegalArgumentException("give both interval bounds or neither");
    }
    if (lower != null) {
      if (lower.length != yhat.length || upper.length != yhat.length) {
        throw new IllegalArgumentException("bounds must have one value per channel");
      }
      lower = lower.clone();
      upper = upper.clone();
    }
  }

  /** A step with a point forecast only. */
  public static ForecastStep point(Instant ts, double[] yhat) {
    return new ForecastStep(ts, yhat, null, null);
  }

  public boolean hasInterval() {
    return lower != null;
  }

  @Override
  public double[] yhat() {
    return yhat.clone();
  }

  @Override
  public double[] lower() {
    return lower == null ? null : lower.clone();
  }

  @Override
  public double[] upper() {
    return upper == null ? null : upper.clone();
  }

  /** The point forecast of one channel without copying. */
  public double yhat(int channel) {
    return yhat[channel];
  }

  /** The lower bound of one channel without copying; only where {@link #hasInterval()}. */
  public double lower(int channel) {
    return lower[channel];
  }

  /** The upper bound of one channel without copying; only where {@link #hasInterval()}. */
  public double upper(int channel) {
    return upper[channel];
  }

  /** The number of channels. */
  public int channels() {
    return yhat.length;
  }
}

package io.tidecast.streams.topology;

/**
 * Prediction intervals and online accuracy.
 *
 * @param enabled whether forecasts are scored against the readings that arrive for their target
 *     times and carry calibrated bounds
 * @param coverage the share of actuals the intervals should hold, such as 0.9
 * @param rate how fast an interval's half-width follows misses and hits: a miss widens it by the
 *     factor {@code exp(rate * coverage)}, a hit narrows it by {@code exp(-rate * (1 - coverage))}
 * @param span the number of recent errors the rolling MAE, MSE and coverage weigh most (an
 *     exponential moving average with this span)
 */
public record IntervalSettings(boolean enabled, double coverage, double rate, int span) {

  public static final IntervalSettings DEFAULT = new IntervalSettings(true, 0.9, 0.05, 168);

  public IntervalSettings {
    if (!(coverage > 0 && coverage < 1)) {
      throw new IllegalArgumentException("interval coverage must be in (0, 1), got " + coverage);
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("interval rate must be in (0, 1], got " + rate);
    }
    if (span < 1) {
      throw new IllegalArgumentException("accuracy span must be >= 1, got " + span);
    }
  }
}

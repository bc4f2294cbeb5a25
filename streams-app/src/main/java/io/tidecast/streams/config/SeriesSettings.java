package io.tidecast.streams.config;

import io.tidecast.forecaster.Frequency;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * How the application treats one series.
 *
 * @param model the name of the model that serves it
 * @param channels its channels, in the order the model reads them
 * @param frequency its sampling frequency; readings are placed on this grid (rounded to the nearest
 *     step)
 * @param hop readings between two forecasts (1: a forecast after every reading)
 * @param grace how far behind the newest reading a reading may arrive and still be placed; older
 *     ones are dead-lettered as late
 * @param maxInterpolated the longest run of missing steps inside a window that is filled by linear
 *     interpolation; a window with a longer gap is not forecast from
 */
public record SeriesSettings(
    String model, List<String> channels, Frequency frequency, int hop, Duration grace, int maxInterpolated) {

  public SeriesSettings {
    Objects.requireNonNull(model, "model");
    channels = List.copyOf(channels);
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one channel");
    }
    if (channels.stream().distinct().count() != channels.size()) {
      throw new IllegalArgumentException("channel names repeat: " + channels);
    }
    Objects.requireNonNull(frequency, "frequency");
    if (frequency.unit() == ChronoUnit.MONTHS) {
      throw new IllegalArgumentException("streaming series need a fixed step; monthly is not supported");
    }
    if (hop < 1) {
      throw new IllegalArgumentException("hop must be >= 1, got " + hop);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    if (maxInterpolated < 0) {
      throw new IllegalArgumentException("maxInterpolated must be >= 0, got " + maxInterpolated);
    }
  }

  /** The grid step in milliseconds. */
  public long stepMillis() {
    return Duration.between(java.time.Instant.EPOCH, frequency.plus(java.time.Instant.EPOCH, 1)).toMillis();
  }

  /** The grace period in whole steps. */
  public int graceSteps() {
    return Math.toIntExact(grace.toMillis() / stepMillis());
  }
}

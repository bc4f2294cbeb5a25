package io.tidecast.streams.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A valid reading: its series, event time and one value per channel, in the channel order of the
 * series' settings.
 */
public record Reading(String series, Instant ts, double[] values) {

  public Reading {
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(ts, "ts");
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  double value(int channel) {
    return values[channel];
  }
}

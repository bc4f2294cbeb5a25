package io.tidecast.forecaster;

import java.time.Instant;
import java.util.Objects;

/** One reading of a series: its event time and one value per channel. */
public record Observation(Instant ts, double[] values) {

  public Observation {
    Objects.requireNonNull(ts, "ts");
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  public double value(int channel) {
    return values[channel];
  }
}

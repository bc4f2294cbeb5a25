package io.tidecast.streams.config;

import java.util.List;
import java.util.Objects;

/** The names of the topics the application reads and writes. */
public record Topics(String readings, String forecasts, String deadLetters) {

  public static final Topics DEFAULT =
      new Topics("tidecast.readings", "tidecast.forecasts", "tidecast.readings.dlq");

  public Topics {
    Objects.requireNonNull(readings, "readings");
    Objects.requireNonNull(forecasts, "forecasts");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  public List<String> all() {
    return List.of(readings, forecasts, deadLetters);
  }
}

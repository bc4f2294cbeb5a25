package io.tidecast.api.forecast;

import java.time.Instant;

/** Past forecasts of a series from the database. */
@FunctionalInterface
public interface PastForecasts {

  /**
   * The newest {@code limit} forecasts issued in {@code [from, to)}, oldest first, as a JSON array.
   *
   * @throws IllegalStateException if no database is configured or it cannot be reached
   */
  byte[] forecasts(String series, Instant from, Instant to, int limit);
}

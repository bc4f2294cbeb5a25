package io.tidecast.api.forecast;

import java.util.Optional;

/** The newest forecast of a series as forecast JSON, wherever the series is owned. */
@FunctionalInterface
public interface LatestForecasts {

  /**
   * @throws IllegalStateException if the owning instance cannot answer now (starting, rebalancing,
   *     unreachable)
   */
  Optional<byte[]> latest(String series);
}

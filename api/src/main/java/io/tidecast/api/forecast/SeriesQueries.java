package io.tidecast.api.forecast;

import java.util.List;
import java.util.Optional;

/**
 * What the streams know of each series, wherever it is owned. Each method throws
 * {@link IllegalStateException} if the owning instance cannot answer now (starting, rebalancing,
 * unreachable).
 */
public interface SeriesQueries {

  /** The newest forecast, as forecast JSON. */
  Optional<byte[]> latest(String series);

  /** Online accuracy and interval half-widths by horizon step, as JSON. */
  Optional<byte[]> accuracy(String series);

  /** The readings of the current window, as JSON. */
  Optional<byte[]> readings(String series);

  /** Every series with a forecast, sorted. */
  List<String> series();
}

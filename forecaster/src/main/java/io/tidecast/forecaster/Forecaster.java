package io.tidecast.forecaster;

import java.util.List;

/**
 * A model that maps a batch of windows to a batch of forecasts, one per window, in order.
 *
 * <p>Windows carry raw values; a forecaster applies its own scaling. Serving many series in one
 * call is the fast path: implementations run one forward pass per batch.
 */
public interface Forecaster extends AutoCloseable {

  /** The name and version every forecast of this model carries. */
  ModelId id();

  ForecasterSpec spec();

  /**
   * Forecasts every window.
   *
   * @throws IllegalArgumentException if a window does not fit {@link #spec()} or has gaps
   */
  List<Forecast> forecast(List<SeriesWindow> windows);

  /** Releases native memory the model holds. */
  @Override
  default void close() {}
}

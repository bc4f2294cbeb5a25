package io.tidecast.forecaster;

import java.util.ArrayList;
import java.util.List;

/**
 * A model with recurrent state that follows a series one reading at a time, in constant time and
 * memory per reading, and can forecast from its state after any reading.
 *
 * <p>States are values: {@link #update} returns a new state and leaves the old one as it was, so a
 * caller can keep a state in a store and resume from it after a restart ({@link #encode} and
 * {@link #decode} give its bytes).
 *
 * @param <S> the state of one series
 */
public interface StreamingForecaster<S> extends AutoCloseable {

  ModelId id();

  ForecasterSpec spec();

  /** The state of a series that has seen nothing yet. */
  S initialState();

  /** The state after one more reading (raw values, in the order of the input channels). */
  S update(S state, Observation reading);

  /** The forecast from a state that has seen at least {@link #warmUp()} readings. */
  Forecast forecast(String series, S state);

  /** Readings a series needs before its forecasts mean anything. */
  int warmUp();

  byte[] encode(S state);

  S decode(byte[] bytes);

  /**
   * Updates many series at once, one reading each. The default loops; models override it to run
   * one batched step.
   */
  default List<S> update(List<S> states, List<Observation> readings) {
    if (states.size() != readings.size()) {
      throw new IllegalArgumentException(states.size() + " states but " + readings.size() + " readings");
    }
    List<S> next = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      next.add(update(states.get(i), readings.get(i)));
    }
    return next;
  }

  /**
   * Forecasts many series at once from their states. The default loops; models override it to run
   * one batched pass.
   */
  default List<Forecast> forecast(List<String> series, List<S> states) {
    if (series.size() != states.size()) {
      throw new IllegalArgumentException(series.size() + " series but " + states.size() + " states");
    }
    List<Forecast> forecasts = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      forecasts.add(forecast(series.get(i), states.get(i)));
    }
    return forecasts;
  }

  @Override
  default void close() {}
}

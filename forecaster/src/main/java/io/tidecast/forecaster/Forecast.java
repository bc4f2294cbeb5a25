package io.tidecast.forecaster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A forecast of one series, issued at the event time of the last reading it saw.
 *
 * @param series the series id
 * @param issuedAt event time of the window's last step
 * @param model the model (name and version) that made it
 * @param channels the forecast channels, in the order of every step's values
 * @param steps one per horizon step, in time order
 */
public record Forecast(
    String series, Instant issuedAt, ModelId model, List<String> channels, List<ForecastStep> steps) {

  public Forecast {
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(model, "model");
    channels = List.copyOf(channels);
    steps = List.copyOf(steps);
    Instant previous = issuedAt;
    for (ForecastStep step : steps) {
      if (step.channels() != channels.size()) {
        throw new IllegalArgumentException("forecast of " + series + ": a step has "
            + step.channels() + " values for " + channels.size() + " channels");
      }
      if (!step.ts().isAfter(previous)) {
        throw new IllegalArgumentException("forecast of " + series + ": step at " + step.ts()
            + " is not after " + previous);
      }
      previous = step.ts();
    }
  }

  public int horizon() {
    return steps.size();
  }
}

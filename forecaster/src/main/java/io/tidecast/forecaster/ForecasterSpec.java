package io.tidecast.forecaster;

import java.util.List;
import java.util.Objects;

/**
 * What a forecaster consumes and produces.
 *
 * @param inputLength steps of history per window
 * @param horizon steps forecast per window
 * @param inputChannels channels a window must carry, in order
 * @param outputChannels channels a forecast carries, in order
 * @param frequency the sampling frequency of the series it was built for
 */
public record ForecasterSpec(
    int inputLength, int horizon, List<String> inputChannels, List<String> outputChannels,
    Frequency frequency) {

  public ForecasterSpec {
    if (inputLength < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "input length and horizon must be >= 1, got " + inputLength + " and " + horizon);
    }
    inputChannels = List.copyOf(inputChannels);
    outputChannels = List.copyOf(outputChannels);
    if (inputChannels.isEmpty() || outputChannels.isEmpty()) {
      throw new IllegalArgumentException("a forecaster needs at least one input and one output channel");
    }
    Objects.requireNonNull(frequency, "frequency");
  }

  /**
   * Checks that a window fits this forecaster, with a message that names what is wrong.
   *
   * @throws IllegalArgumentException if it does not fit
   */
  public void check(SeriesWindow window) {
    if (window.length() != inputLength) {
      throw new IllegalArgumentException("window of " + window.series() + " has " + window.length()
          + " steps, the model needs " + inputLength);
    }
    if (!window.channels().equals(inputChannels)) {
      throw new IllegalArgumentException("window of " + window.series() + " has channels "
          + window.channels() + ", the model needs " + inputChannels);
    }
  }
}

package io.tidecast.forecaster.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model kind is asked to build: window sizes, the channels to forecast, and the options of
 * its kind (such as {@code period=24}), as text so that a command line or a configuration file can
 * carry them unchanged.
 *
 * @param name the name the model will be registered and served under
 * @param inputLength steps of history per window
 * @param horizon steps to forecast
 * @param targets channels to forecast; empty means every input channel (mode M)
 * @param options options of the model kind
 */
public record ModelSettings(
    String name, int inputLength, int horizon, List<String> targets, Map<String, String> options) {

  public ModelSettings {
    Objects.requireNonNull(name, "name");
    if (inputLength < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "input length and horizon must be >= 1, got " + inputLength + " and " + horizon);
    }
    targets = List.copyOf(targets);
    options = Map.copyOf(options);
  }

  public int intOption(String key, int fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + key + " of " + name + " must be an integer, got '" + value + "'", e);
    }
  }

  public double doubleOption(String key, double fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + key + " of " + name + " must be a number, got '" + value + "'", e);
    }
  }

  public boolean booleanOption(String key, boolean fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(
          "option " + key + " of " + name + " must be true or false, got '" + value + "'");
    };
  }
}

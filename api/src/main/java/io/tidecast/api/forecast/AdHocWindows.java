package io.tidecast.api.forecast;

import io.tidecast.api.system.ApiException;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.SeriesWindow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Turns an ad-hoc request into the window a model reads, or says precisely what is wrong with it. */
final class AdHocWindows {

  /** The most readings one request may carry. */
  static final int MAX_READINGS = 10_000;

  private AdHocWindows() {}

  static SeriesWindow window(AdHocRequest request, ForecasterSpec spec) {
    List<AdHocRequest.Reading> readings = request.readings();
    int length = spec.inputLength();
    if (readings == null || readings.size() < length) {
      throw invalid("the model reads " + length + " readings; the request has "
          + (readings == null ? "none" : readings.size()));
    }
    if (readings.size() > MAX_READINGS) {
      throw invalid("at most " + MAX_READINGS + " readings per request; the request has " + readings.size());
    }
    String series = request.series() == null || request.series().isBlank() ? "ad-hoc" : request.series();
    if (series.length() > 200) {
      throw invalid("a series name has at most 200 characters");
    }
    List<String> channels = spec.inputChannels();
    int first = readings.size() - length;
    Instant[] times = new Instant[length];
    double[][] values = new double[length][channels.size()];
    for (int t = 0; t < length; t++) {
      int index = first + t;
      AdHocRequest.Reading reading = readings.get(index);
      if (reading == null || reading.ts() == null || reading.values() == null) {
        throw invalid("readings[" + index + "] needs ts and values");
      }
      times[t] = time(reading.ts(), index);
      if (t > 0 && !times[t].equals(spec.frequency().plus(times[t - 1], 1))) {
        throw invalid("readings[" + index + "] at " + times[t] + " is not one step (" + spec.frequency().code()
            + ") after readings[" + (index - 1) + "] at " + times[t - 1]);
      }
      for (Map.Entry<String, Double> v : reading.values().entrySet()) {
        int c = channels.indexOf(v.getKey());
        if (c < 0) {
          throw invalid("readings[" + index + "] has channel '" + v.getKey() + "'; the model reads " + channels);
        }
        Double value = v.getValue();
        if (value == null || !Double.isFinite(value)) {
          throw invalid("readings[" + index + "]." + v.getKey() + " is " + value + "; values must be finite numbers");
        }
        values[t][c] = value;
      }
      if (reading.values().size() != channels.size()) {
        throw invalid("readings[" + index + "] has " + reading.values().keySet() + "; the model reads " + channels);
      }
    }
    return SeriesWindow.complete(series, channels, times, values);
  }

  private static Instant time(String text, int index) {
    try {
      if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
        return Instant.ofEpochMilli(Long.parseLong(text));
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw invalid("readings[" + index + "].ts '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
          + "' is not an ISO-8601 time with an offset or epoch milliseconds");
    }
  }

  private static ApiException invalid(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid window", detail);
  }
}

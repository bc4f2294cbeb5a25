package io.tidecast.api.forecast;

import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.system.ApiException;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.streams.message.ForecastJson;
import io.tidecast.forecaster.SeriesWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Series and forecasts: the latest forecast, accuracy and window of a series (from the streams
 * stores, wherever the series is owned), and forecasts for a window sent in the request.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ForecastController {

  private final SeriesQueries queries;
  private final PastForecasts past;
  private final ModelRegistry models;
  private final String defaultModel;

  ForecastController(SeriesQueries queries, PastForecasts past, ModelRegistry models,
      @Value("${tidecast.model.kind:linear-ar}") String defaultModel) {
    this.queries = queries;
    this.past = past;
    this.models = models;
    this.defaultModel = defaultModel;
  }

  @Operation(summary = "Every series with a forecast")
  @GetMapping("/series")
  List<String> series() {
    try {
      return queries.series();
    } catch (IllegalStateException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Not ready", e.getMessage());
    }
  }

  @Operation(summary = "The latest forecast of a series, with its interval bounds once calibrated")
  @GetMapping("/series/{id}/forecast")
  ResponseEntity<byte[]> latest(@PathVariable String id) {
    return answer(id, queries::latest, "no forecast of series '%s' yet: it has sent no readings, or fewer than a window");
  }

  @Operation(summary = "Past forecasts of a series from the database, issued in [from, to), the newest limit of them")
  @GetMapping("/series/{id}/forecasts")
  ResponseEntity<byte[]> past(@PathVariable String id, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int limit) {
    checkSeries(id);
    Instant start = instant(from, "from", Instant.EPOCH);
    Instant end = instant(to, "to", Instant.parse("9999-12-31T00:00:00Z"));
    if (!start.isBefore(end)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid range", "from (" + start + ") must be before to (" + end + ")");
    }
    if (limit < 1 || limit > 1000) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid limit", "limit is 1 to 1000, got " + limit);
    }
    try {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(past.forecasts(id, start, end, limit));
    } catch (IllegalStateException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "No database", e.getMessage());
    }
  }

  private static Instant instant(String text, String name, Instant fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid time", name + " '" + shorten(text)
          + "' is not an ISO-8601 time with an offset, such as 2026-11-28T10:00:00Z");
    }
  }

  @Operation(summary = "Online accuracy of a series by horizon step: rolling MAE, MSE, interval coverage and width")
  @GetMapping("/series/{id}/accuracy")
  ResponseEntity<byte[]> accuracy(@PathVariable String id) {
    return answer(id, queries::accuracy, "no forecast of series '%s' has been scored yet");
  }

  @Operation(summary = "The readings of a series' current window")
  @GetMapping("/series/{id}/readings")
  ResponseEntity<byte[]> readings(@PathVariable String id) {
    return answer(id, queries::readings, "no readings of series '%s' are held");
  }

  private static ResponseEntity<byte[]> answer(String id, Function<String, Optional<byte[]>> query, String none) {
    checkSeries(id);
    byte[] body;
    try {
      body = query.apply(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Not found",
          String.format(none, shorten(id))));
    } catch (IllegalStateException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Not ready", e.getMessage());
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  @Operation(summary = "A forecast for a window of readings given in the body")
  @PostMapping(path = "/forecast", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<byte[]> adHoc(@RequestBody AdHocRequest request) {
    String name = request.model() == null || request.model().isBlank() ? defaultModel : request.model();
    if (!models.names().contains(name)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Unknown model",
          "no model named '" + shorten(name) + "'; models: " + models.names());
    }
    Forecaster model = models.forModel(name);
    SeriesWindow window = AdHocWindows.window(request, model.spec());
    byte[] json = ForecastJson.write(model.forecast(List.of(window)).get(0));
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
  }

  static void checkSeries(String id) {
    if (id.length() > 200 || id.chars().anyMatch(Character::isISOControl)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid series id",
          "a series id has at most 200 characters and no control characters");
    }
  }

  static String shorten(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }
}

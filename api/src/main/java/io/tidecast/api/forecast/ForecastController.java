package io.tidecast.api.forecast;

import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.system.ApiException;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.streams.message.ForecastJson;
import io.tidecast.forecaster.SeriesWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Forecasts: the latest of a series (from the streams store, wherever it is owned) and ad hoc. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ForecastController {

  private final LatestForecasts latest;
  private final ModelRegistry models;
  private final String defaultModel;

  ForecastController(LatestForecasts latest, ModelRegistry models,
      @Value("${tidecast.model.kind:linear-ar}") String defaultModel) {
    this.latest = latest;
    this.models = models;
    this.defaultModel = defaultModel;
  }

  @Operation(summary = "The latest forecast of a series")
  @GetMapping("/series/{id}/forecast")
  ResponseEntity<byte[]> latest(@PathVariable String id) {
    checkSeries(id);
    byte[] forecast;
    try {
      forecast = latest.latest(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "No forecast",
          "no forecast of series '" + id + "' yet: it has sent no readings, or fewer than a window"));
    } catch (IllegalStateException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Not ready", e.getMessage());
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(forecast);
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

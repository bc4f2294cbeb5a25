package io.tidecast.streams.message;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a forecast as the JSON of the forecasts topic:
 *
 * <pre>
 * {"series": "s-7", "issuedAt": "2026-11-28T10:00:00Z",
 *  "model": {"name": "linear-ar", "version": "lags-96"},
 *  "steps": [{"ts": "2026-11-28T11:00:00Z", "yhat": {"OT": 30.9},
 *             "lower": {"OT": 29.8}, "upper": {"OT": 32.0}}, ...]}
 * </pre>
 *
 * {@code lower} and {@code upper} appear only when the forecast has interval bounds.
 */
public final class ForecastJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private ForecastJson() {}

  public static byte[] write(Forecast forecast) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * forecast.horizon());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("series", forecast.series());
      g.writeStringProperty("issuedAt", IsoTime.format(forecast.issuedAt()));
      g.writeObjectPropertyStart("model");
      g.writeStringProperty("name", forecast.model().name());
      g.writeStringProperty("version", forecast.model().version());
      g.writeEndObject();
      g.writeArrayPropertyStart("steps");
      List<String> channels = forecast.channels();
      for (ForecastStep step : forecast.steps()) {
        g.writeStartObject();
        g.writeStringProperty("ts", IsoTime.format(step.ts()));
        writeChannels(g, "yhat", channels, step::yhat);
        if (step.hasInterval()) {
          writeChannels(g, "lower", channels, step::lower);
          writeChannels(g, "upper", channels, step::upper);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void writeChannels(JsonGenerator g, String name, List<String> channels, IntToDoubleFunction value) {
    g.writeObjectPropertyStart(name);
    for (int c = 0; c < channels.size(); c++) {
      // Single precision: what the models compute in, and half the bytes of a double's digits.
      g.writeNumberProperty(channels.get(c), (float) value.applyAsDouble(c));
    }
    g.writeEndObject();
  }
}

package io.tidecast.streams.db;

import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.message.Reading;
import io.tidecast.streams.message.ReadingParser;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rows of one write: readings and forecast values in long format, one per channel, keyed by
 * their table's unique key so that a value seen twice in one batch is written once (the later
 * wins, as a replaced reading does in the topology).
 */
final class Rows {

  static final String UPSERT_READING = "INSERT INTO readings (ts, series, channel, value) VALUES (?, ?, ?, ?) "
      + "ON CONFLICT (series, channel, ts) DO UPDATE SET value = EXCLUDED.value";
  static final String UPSERT_FORECAST = "INSERT INTO forecasts (issued_at, series, channel, target_ts, step, yhat, "
      + "yhat_lower, yhat_upper, model, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (series, channel, issued_at, step, model) DO UPDATE SET target_ts = EXCLUDED.target_ts, "
      + "yhat = EXCLUDED.yhat, yhat_lower = EXCLUDED.yhat_lower, yhat_upper = EXCLUDED.yhat_upper, "
      + "model_version = EXCLUDED.model_version";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record ReadingRow(Instant ts, String series, String channel, double value) {}

  private record ForecastRow(Instant issuedAt, String series, String channel, Instant target, int step,
      double yhat, Double lower, Double upper, String model, String version) {}

  private final Map<String, ReadingRow> readings = new LinkedHashMap<>();
  private final Map<String, ForecastRow> forecasts = new LinkedHashMap<>();
  private final ReadingParser parser;
  private final SeriesCatalog catalog;

  Rows(SeriesCatalog catalog) {
    this.catalog = catalog;
    this.parser = new ReadingParser(catalog);
  }

  /** Adds a record of the readings topic; one the topology would refuse adds nothing. */
  void addReading(byte[] key, byte[] value) {
    if (parser.parse(key, value) instanceof ReadingParser.Accepted accepted) {
      Reading r = accepted.reading();
      List<String> channels = catalog.settings(r.series()).channels();
      double[] values = r.values();
      for (int c = 0; c < channels.size(); c++) {
        readings.put(r.series() + '\0' + channels.get(c) + '\0' + r.ts(),
            new ReadingRow(r.ts(), r.series(), channels.get(c), values[c]));
      }
    }
  }

  /**
   * Adds a record of the forecasts topic.
   *
   * @throws IllegalArgumentException if it is not forecast JSON
   */
  void addForecast(byte[] value) {
    JsonNode f = JSON.readTree(value);
    String series = text(f, "series");
    Instant issued = Instant.parse(text(f, "issuedAt"));
    String model = text(f.path("model"), "name");
    String version = text(f.path("model"), "version");
    int step = 0;
    for (JsonNode s : f.path("steps")) {
      step++;
      Instant target = Instant.parse(text(s, "ts"));
      JsonNode lower = s.path("lower");
      JsonNode upper = s.path("upper");
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("yhat").properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> yhat = it.next();
        String channel = yhat.getKey();
        forecasts.put(series + '\0' + channel + '\0' + issued + '\0' + step + '\0' + model,
            new ForecastRow(issued, series, channel, target, step, yhat.getValue().asDouble(),
                lower.has(channel) ? lower.get(channel).asDouble() : null,
                upper.has(channel) ? upper.get(channel).asDouble() : null, model, version));
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw new IllegalArgumentException("a forecast needs the text field " + field);
    }
    return value.asString();
  }

  int size() {
    return readings.size() + forecasts.size();
  }

  int readingRows() {
    return readings.size();
  }

  int forecastRows() {
    return forecasts.size();
  }

  /** Adds every row to the two batches (not executed). */
  void bind(PreparedStatement readingBatch, PreparedStatement forecastBatch) throws SQLException {
    for (ReadingRow r : readings.values()) {
      readingBatch.setObject(1, utc(r.ts()));
      readingBatch.setString(2, r.series());
      readingBatch.setString(3, r.channel());
      readingBatch.setDouble(4, r.value());
      readingBatch.addBatch();
    }
    for (ForecastRow f : forecasts.values()) {
      forecastBatch.setObject(1, utc(f.issuedAt()));
      forecastBatch.setString(2, f.series());
      forecastBatch.setString(3, f.channel());
      forecastBatch.setObject(4, utc(f.target()));
      forecastBatch.setInt(5, f.step());
      forecastBatch.setDouble(6, f.yhat());
      setNullable(forecastBatch, 7, f.lower());
      setNullable(forecastBatch, 8, f.upper());
      forecastBatch.setString(9, f.model());
      forecastBatch.setString(10, f.version());
      forecastBatch.addBatch();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static void setNullable(PreparedStatement s, int index, Double value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }
}

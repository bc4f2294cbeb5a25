package io.tidecast.streams.db;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/** Past forecasts of a series, read back from the database in the JSON of the forecasts topic. */
public final class ForecastHistory {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final String QUERY = """
      WITH issued AS (
        SELECT DISTINCT issued_at FROM issued_forecasts
        WHERE series = ? AND issued_at >= ? AND issued_at < ?
        ORDER BY issued_at DESC LIMIT ?)
      SELECT f.issued_at, f.model, f.model_version, f.step, f.target_ts, f.channel, f.yhat, f.yhat_lower, f.yhat_upper
      FROM forecasts f JOIN issued i ON f.issued_at = i.issued_at
      WHERE f.series = ?
      ORDER BY f.issued_at, f.model, f.step, f.channel""";

  private final Database database;

  public ForecastHistory(Database database) {
    this.database = database;
  }

  /** One horizon step of a stored forecast. */
  private record Step(Instant ts, Map<String, Double> yhat, Map<String, Double> lower, Map<String, Double> upper) {}

  /**
   * The newest {@code limit} forecasts of {@code series} issued in {@code [from, to)}, oldest first,
   * as a JSON array of forecasts.
   */
  public byte[] forecasts(String series, Instant from, Instant to, int limit) throws SQLException {
    Map<String, Map<Integer, Step>> byForecast = new LinkedHashMap<>();
    Map<String, String[]> heads = new LinkedHashMap<>();
    try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(QUERY)) {
      s.setString(1, series);
      s.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      s.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      s.setInt(4, limit);
      s.setString(5, series);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Instant issued = r.getObject(1, OffsetDateTime.class).toInstant();
          String key = issued + "\0" + r.getString(2);
          heads.putIfAbsent(key, new String[] {issued.toString(), r.getString(2), r.getString(3)});
          Step step = byForecast.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(r.getInt(4),
              k -> new Step(instant(r), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>()));
          String channel = r.getString(6);
          step.yhat().put(channel, r.getDouble(7));
          double lower = r.getDouble(8);
          if (!r.wasNull()) {
            step.lower().put(channel, lower);
            step.upper().put(channel, r.getDouble(9));
          }
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartArray();
      for (Map.Entry<String, Map<Integer, Step>> f : byForecast.entrySet()) {
        String[] head = heads.get(f.getKey());
        g.writeStartObject();
        g.writeStringProperty("series", series);
        g.writeStringProperty("issuedAt", head[0]);
        g.writeObjectPropertyStart("model");
        g.writeStringProperty("name", head[1]);
        g.writeStringProperty("version", head[2]);
        g.writeEndObject();
        g.writeArrayPropertyStart("steps");
        for (Step step : new ArrayList<>(f.getValue().values())) {
          g.writeStartObject();
          g.writeStringProperty("ts", step.ts().toString());
          write(g, "yhat", step.yhat());
          if (!step.lower().isEmpty()) {
            write(g, "lower", step.lower());
            write(g, "upper", step.upper());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return out.toByteArray();
  }

  private static Instant instant(ResultSet r) {
    try {
      return r.getObject(5, OffsetDateTime.class).toInstant();
    } catch (SQLException e) {
      throw new IllegalStateException("a stored forecast without a target time", e);
    }
  }

  private static void write(JsonGenerator g, String name, Map<String, Double> values) {
    g.writeObjectPropertyStart(name);
    values.forEach((channel, value) -> g.writeNumberProperty(channel, value));
    g.writeEndObject();
  }
}

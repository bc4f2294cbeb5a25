package io.tidecast.streams.db;

import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.message.Reading;
import io.tidecast.streams.message.ReadingParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The rows of one write: readings in long format (one row per channel), forecasts one row each
 * (arrays of steps x channels), keyed by their table's unique key so that a row seen twice in one
 * batch is written once (the later wins, as a replaced reading does in the topology). The readings
 * go in as one statement over arrays; each forecast's values go as binary {@code real[][]}
 * parameters (about four times faster than array text, which the server must parse number by
 * number), a missing interval bound as NaN, which the {@code forecasts} view shows as NULL.
 */
final class Rows {

  static final String UPSERT_READINGS = "INSERT INTO readings (ts, series, channel, value) "
      + "SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::float8[]) "
      + "ON CONFLICT (series, channel, ts) DO UPDATE SET value = EXCLUDED.value";
  static final String UPSERT_FORECAST = "INSERT INTO issued_forecasts (issued_at, series, model, model_version, "
      + "channels, target_ts, yhat, yhat_lower, yhat_upper) "
      + "VALUES (?::timestamptz, ?, ?, ?, ?::text[], ?::timestamptz[], ?, ?, ?) "
      + "ON CONFLICT (series, issued_at, model) DO UPDATE SET model_version = EXCLUDED.model_version, "
      + "channels = EXCLUDED.channels, target_ts = EXCLUDED.target_ts, yhat = EXCLUDED.yhat, "
      + "yhat_lower = EXCLUDED.yhat_lower, yhat_upper = EXCLUDED.yhat_upper";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private record ReadingRow(String ts, String series, String channel, double value) {}

  /**
   * One forecast: channel names and target times as PostgreSQL array text, values {@code [step][channel]};
   * lower and upper null when no step has bounds, NaN in the steps without.
   */
  private record ForecastRow(String issuedAt, String series, String model, String version, String channels,
      String targets, float[][] yhat, float[][] lower, float[][] upper, int values) {}

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
    if (parser.parse(key, value) instanceof ReadingParser.Accepted accepted
        && accepted.reading().series().indexOf('\0') < 0) { // PostgreSQL text cannot hold NUL
      Reading r = accepted.reading();
      List<String> channels = catalog.settings(r.series()).channels();
      double[] values = r.values();
      String ts = r.ts().toString();
      for (int c = 0; c < channels.size(); c++) {
        readings.put(r.series() + '\0' + channels.get(c) + '\0' + ts,
            new ReadingRow(ts, r.series(), channels.get(c), values[c]));
      }
    }
  }

  /**
   * Adds a record of the forecasts topic.
   *
   * @throws IllegalArgumentException if it is not forecast JSON
   */
  void addForecast(byte[] value) {
    ForecastRow row = new ForecastReader(value).read();
    forecasts.put(row.series() + '\0' + row.issuedAt() + '\0' + row.model(), row);
  }

  /** Rows of the long format: one per reading channel and one per forecast value (what {@code forecasts} shows). */
  int size() {
    int values = readings.size();
    for (ForecastRow f : forecasts.values()) {
      values += f.values();
    }
    return values;
  }

  int readingRows() {
    return readings.size();
  }

  int forecastRows() {
    return forecasts.size();
  }

  /** Binds the readings (one statement) and adds every forecast to its batch (not executed). */
  void bind(Connection connection, PreparedStatement readingInsert, PreparedStatement forecastBatch) throws SQLException {
    int n = readings.size();
    String[] ts = new String[n];
    String[] series = new String[n];
    String[] channels = new String[n];
    Double[] values = new Double[n];
    int i = 0;
    for (ReadingRow r : readings.values()) {
      ts[i] = r.ts();
      series[i] = r.series();
      channels[i] = r.channel();
      values[i] = r.value();
      i++;
    }
    readingInsert.setArray(1, connection.createArrayOf("text", ts));
    readingInsert.setArray(2, connection.createArrayOf("text", series));
    readingInsert.setArray(3, connection.createArrayOf("text", channels));
    readingInsert.setArray(4, connection.createArrayOf("float8", values));
    for (ForecastRow f : forecasts.values()) {
      forecastBatch.setString(1, f.issuedAt());
      forecastBatch.setString(2, f.series());
      forecastBatch.setString(3, f.model());
      forecastBatch.setString(4, f.version());
      forecastBatch.setString(5, f.channels());
      forecastBatch.setString(6, f.targets());
      forecastBatch.setObject(7, f.yhat());
      setValues(forecastBatch, 8, f.lower());
      setValues(forecastBatch, 9, f.upper());
      forecastBatch.addBatch();
    }
  }

  private static void setValues(PreparedStatement statement, int index, float[][] values) throws SQLException {
    if (values == null) {
      statement.setNull(index, Types.ARRAY, "_float4");
    } else {
      statement.setObject(index, values);
    }
  }

  /** Reads one forecast JSON (the forecasts topic's form) into a row, in one pass over its tokens. */
  private static final class ForecastReader {
    private final JsonParser p;
    private String series;
    private String issuedAt;
    private String model;
    private String version;
    private final List<String> channels = new ArrayList<>();
    private final Map<String, Integer> channelIndex = new HashMap<>();
    private final StringBuilder targets = new StringBuilder(32 * 30).append('{');
    private final List<float[]> yhat = new ArrayList<>();
    private final List<float[]> lower = new ArrayList<>();
    private final List<float[]> upper = new ArrayList<>();
    private boolean anyBounds;
    private int steps;

    ForecastReader(byte[] json) {
      p = JSON.createParser(json);
    }

    ForecastRow read() {
      try (p) {
        expect(p.nextToken(), JsonToken.START_OBJECT, "a forecast must be a JSON object");
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "series" -> series = text(value, name);
            case "issuedAt" -> issuedAt = time(text(value, name), name);
            case "model" -> model(value);
            case "steps" -> steps(value);
            default -> p.skipChildren();
          }
        }
      }
      if (series == null || issuedAt == null || model == null || version == null || steps == 0 || channels.isEmpty()) {
        throw new IllegalArgumentException("a forecast needs series, issuedAt, model name and version, and steps"
            + " with channels");
      }
      StringBuilder names = new StringBuilder("{");
      for (int c = 0; c < channels.size(); c++) {
        quoted(names.append(c > 0 ? "," : ""), channels.get(c));
      }
      return new ForecastRow(issuedAt, series, model, version, names.append('}').toString(),
          targets.append('}').toString(), yhat.toArray(float[][]::new),
          anyBounds ? lower.toArray(float[][]::new) : null, anyBounds ? upper.toArray(float[][]::new) : null,
          steps * channels.size());
    }

    private void model(JsonToken token) {
      expect(token, JsonToken.START_OBJECT, "model must be an object");
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "name" -> model = text(value, "model.name");
          case "version" -> version = text(value, "model.version");
          default -> p.skipChildren();
        }
      }
    }

    private void steps(JsonToken token) {
      expect(token, JsonToken.START_ARRAY, "steps must be an array");
      while (p.nextToken() == JsonToken.START_OBJECT) {
        float[] y = null;
        float[] lo = null;
        float[] hi = null;
        String ts = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "ts" -> ts = time(text(value, "steps[].ts"), "steps[].ts");
            case "yhat" -> y = channelValues(value, steps == 0);
            case "lower" -> lo = channelValues(value, false);
            case "upper" -> hi = channelValues(value, false);
            default -> p.skipChildren();
          }
        }
        if (ts == null || y == null) {
          throw new IllegalArgumentException("step " + (steps + 1) + " needs ts and yhat");
        }
        quoted(targets.append(steps > 0 ? "," : ""), ts);
        boolean bounded = lo != null && hi != null;
        anyBounds |= bounded;
        yhat.add(y);
        lower.add(bounded ? lo : unbounded());
        upper.add(bounded ? hi : unbounded());
        steps++;
      }
    }

    private float[] unbounded() {
      float[] none = new float[channels.size()];
      Arrays.fill(none, Float.NaN);
      return none;
    }

    /** A channel object's numbers by channel index; the first step's order defines the channels. */
    private float[] channelValues(JsonToken token, boolean defines) {
      expect(token, JsonToken.START_OBJECT, "yhat, lower and upper must be objects of channel: number");
      float[] values = new float[Math.max(channels.size(), 1)];
      int seen = 0;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String channel = p.currentName();
        JsonToken value = p.nextToken();
        Integer c = channelIndex.get(channel);
        if (c == null) {
          if (!defines) {
            throw new IllegalArgumentException("channel " + channel + " is not in the first step's yhat");
          }
          c = channels.size();
          channels.add(channel);
          channelIndex.put(channel, c);
          if (c >= values.length) {
            values = Arrays.copyOf(values, c + 1);
          }
        }
        values[c] = number(value, channel);
        seen++;
      }
      if (seen != channels.size()) {
        throw new IllegalArgumentException("a step gives " + seen + " of the " + channels.size() + " channels");
      }
      return values;
    }

    private float number(JsonToken token, String channel) {
      if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
        return p.getFloatValue();
      }
      if (token == JsonToken.VALUE_STRING) {
        String s = p.getString();
        if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
          return Float.parseFloat(s);
        }
      }
      throw new IllegalArgumentException("the value of channel " + channel + " is not a number");
    }

    private String text(JsonToken token, String field) {
      if (token != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("a forecast needs the text field " + field);
      }
      String text = p.getString();
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(field + " holds a NUL character, which PostgreSQL text cannot store");
      }
      return text;
    }

    /**
     * The time as given if it is an ISO-8601 instant the database reads; checked here, since one
     * the database refuses would fail its whole batch again and again.
     */
    private static String time(String text, String field) {
      if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
          && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
        try { // the form the topology writes: checked without the parser machinery
          LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2),
              digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2));
          return text;
        } catch (DateTimeException | NumberFormatException e) {
          throw new IllegalArgumentException(field + " '" + text + "' is not a valid time");
        }
      }
      try {
        return OffsetDateTime.parse(text).toInstant().toString();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(field + " '" + text + "' is not an ISO-8601 time with an offset");
      }
    }

    private static int digits(String text, int from, int count) {
      int value = 0;
      for (int i = from; i < from + count; i++) {
        char ch = text.charAt(i);
        if (ch < '0' || ch > '9') {
          throw new NumberFormatException(text);
        }
        value = value * 10 + (ch - '0');
      }
      return value;
    }

    private static void expect(JsonToken token, JsonToken wanted, String message) {
      if (token != wanted) {
        throw new IllegalArgumentException(message);
      }
    }

    /** An array element in double quotes, backslash and quote escaped. */
    private static void quoted(StringBuilder out, String text) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (ch == '"' || ch == '\\') {
          out.append('\\');
        }
        out.append(ch);
      }
      out.append('"');
    }
  }
}

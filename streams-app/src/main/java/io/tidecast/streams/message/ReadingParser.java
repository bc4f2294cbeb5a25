package io.tidecast.streams.message;

import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates a reading record against the settings of its series. Accepted forms:
 *
 * <pre>
 * {"series": "s-7", "ts": "2026-11-28T10:00:00Z", "values": {"HUFL": 5.83, "OT": 30.5}}
 * {"series": "s-7", "ts": 1764324000000, "value": 30.5}          (one channel)
 * </pre>
 *
 * <p>The record key must be the series id. {@code ts} is ISO-8601 with an offset, or epoch
 * milliseconds. Every channel of the series needs exactly one finite number. Anything else is a
 * {@link Rejection} with its code.
 */
public final class ReadingParser {

  /** Records larger than this are refused before parsing. */
  public static final int MAX_RECORD_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(32).maxNumberLength(64).maxStringLength(MAX_RECORD_BYTES).build())
          .build())
      .build();

  private final SeriesCatalog catalog;

  public ReadingParser(SeriesCatalog catalog) {
    this.catalog = catalog;
  }

  /** A reading or the reason it was refused. */
  public sealed interface Result permits Accepted, Refused {}

  public record Accepted(Reading reading) implements Result {}

  public record Refused(Rejection rejection) implements Result {}

  public Result parse(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      return refuse(Rejection.MALFORMED_JSON, "the record has no value");
    }
    if (value.length > MAX_RECORD_BYTES) {
      return refuse(Rejection.TOO_LARGE, "the record has " + value.length + " bytes; the limit is "
          + MAX_RECORD_BYTES);
    }
    if (key == null || key.length == 0) {
      return refuse(Rejection.MISSING_KEY, "the record has no key; the key must be the series id");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JacksonException e) {
      return refuse(Rejection.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      return refuse(Rejection.MALFORMED_JSON, "a reading must be a JSON object");
    }
    JsonNode seriesNode = root.get("series");
    if (seriesNode == null || seriesNode.isNull()) {
      return refuse(Rejection.MISSING_FIELD, "field 'series' is missing");
    }
    if (!seriesNode.isString() || seriesNode.asString().isBlank()) {
      return refuse(Rejection.WRONG_TYPE, "field 'series' must be a non-empty string");
    }
    String series = seriesNode.asString();
    String keyText = new String(key, StandardCharsets.UTF_8);
    if (!keyText.equals(series)) {
      return refuse(Rejection.KEY_MISMATCH, "the key '" + abbreviate(keyText)
          + "' is not the series '" + abbreviate(series) + "'");
    }
    JsonNode tsNode = root.get("ts");
    if (tsNode == null || tsNode.isNull()) {
      return refuse(Rejection.MISSING_FIELD, "field 'ts' is missing");
    }
    Instant ts;
    if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
      ts = Instant.ofEpochMilli(tsNode.asLong());
    } else if (tsNode.isString()) {
      try {
        ts = IsoTime.parse(tsNode.asString());
      } catch (DateTimeParseException e) {
        return refuse(Rejection.BAD_TIMESTAMP, "'" + abbreviate(tsNode.asString())
            + "' is not an ISO-8601 time with an offset");
      }
    } else {
      return refuse(Rejection.BAD_TIMESTAMP, "field 'ts' must be an ISO-8601 string or epoch milliseconds");
    }
    SeriesSettings settings = catalog.settings(series);
    List<String> channels = settings.channels();
    double[] values = new double[channels.size()];
    JsonNode many = root.get("values");
    JsonNode one = root.get("value");
    if (many != null && one != null) {
      return refuse(Rejection.WRONG_TYPE, "give either 'values' or 'value', not both");
    }
    if (many == null && one == null) {
      return refuse(Rejection.MISSING_FIELD, "field 'values' (or 'value' for one channel) is missing");
    }
    if (one != null) {
      if (channels.size() != 1) {
        return refuse(Rejection.WRONG_CHANNEL_COUNT, "'value' gives one channel; series " + abbreviate(series)
            + " has " + channels.size() + ": " + channels);
      }
      Rejection bad = number(one, channels.get(0), values, 0);
      return bad != null ? new Refused(bad) : new Accepted(new Reading(series, ts, values));
    }
    if (!many.isObject()) {
      return refuse(Rejection.WRONG_TYPE, "field 'values' must be an object of channel: number");
    }
    boolean[] seen = new boolean[channels.size()];
    for (Map.Entry<String, JsonNode> entry : many.properties()) {
      int c = channels.indexOf(entry.getKey());
      if (c < 0) {
        return refuse(Rejection.UNKNOWN_CHANNEL, "channel '" + abbreviate(entry.getKey()) + "' is not one of "
            + channels);
      }
      Rejection bad = number(entry.getValue(), entry.getKey(), values, c);
      if (bad != null) {
        return new Refused(bad);
      }
      seen[c] = true;
    }
    int present = 0;
    for (boolean s : seen) {
      present += s ? 1 : 0;
    }
    if (present != channels.size()) {
      return refuse(Rejection.WRONG_CHANNEL_COUNT, "the reading has " + present + " of the "
          + channels.size() + " channels " + channels);
    }
    return new Accepted(new Reading(series, ts, values));
  }

  private static Rejection number(JsonNode node, String channel, double[] into, int index) {
    if (node == null || !node.isNumber()) {
      return new Rejection(Rejection.WRONG_TYPE, "channel '" + abbreviate(channel) + "' must be a number");
    }
    double v = node.asDouble();
    if (!Double.isFinite(v)) {
      return new Rejection(Rejection.NON_FINITE_VALUE, "channel '" + abbreviate(channel) + "' is not finite");
    }
    into[index] = v;
    return null;
  }

  private static Refused refuse(String code, String detail) {
    return new Refused(new Rejection(code, detail));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return abbreviate(nl < 0 ? message : message.substring(0, nl));
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}

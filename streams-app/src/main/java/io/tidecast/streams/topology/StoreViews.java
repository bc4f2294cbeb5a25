package io.tidecast.streams.topology;

import io.tidecast.streams.config.SeriesSettings;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/** The stores' contents as the JSON the query endpoints answer with. */
public final class StoreViews {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private StoreViews() {}

  /**
   * The online accuracy of a series, by horizon step:
   *
   * <pre>
   * {"series": "s", "coverageTarget": 0.9, "channels": ["OT"],
   *  "steps": [{"step": 1, "count": {"OT": 120}, "mae": {"OT": 0.41}, "mse": {...},
   *             "coverage": {"OT": 0.9}, "halfWidth": {"OT": 0.7}}, ...]}
   * </pre>
   *
   * {@code coverage} and {@code halfWidth} are null before the first scored forecast.
   */
  public static byte[] accuracyJson(String series, byte[] stored, IntervalSettings settings) {
    Calibration c = Calibration.decode(stored);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("series", series);
      g.writeNumberProperty("coverageTarget", settings.coverage());
      g.writeArrayPropertyStart("channels");
      for (String name : c.names) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeArrayPropertyStart("steps");
      for (int h = 0; h < c.horizon; h++) {
        g.writeStartObject();
        g.writeNumberProperty("step", h + 1);
        g.writeObjectPropertyStart("count");
        for (int ch = 0; ch < c.channels; ch++) {
          g.writeNumberProperty(c.names.get(ch), c.count(h, ch));
        }
        g.writeEndObject();
        writeChannels(g, "mae", c, h, c::mae);
        writeChannels(g, "mse", c, h, c::mse);
        writeChannels(g, "coverage", c, h, c::coverage);
        writeChannels(g, "halfWidth", c, h, c::halfWidth);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private interface Field {
    double get(int h, int c);
  }

  private static void writeChannels(JsonGenerator g, String name, Calibration c, int h, Field field) {
    g.writeObjectPropertyStart(name);
    for (int ch = 0; ch < c.channels; ch++) {
      double v = c.count(h, ch) == 0 ? Double.NaN : field.get(h, ch);
      g.writeName(c.names.get(ch));
      if (Double.isFinite(v)) {
        g.writeNumber((float) v);
      } else {
        g.writeNull();
      }
    }
    g.writeEndObject();
  }

  /**
   * The newest {@code last} readings of a series in its window store, oldest first:
   * {@code {"series": "s", "channels": [...], "readings": [{"ts": "...", "values": {...}}, ...]}}, or
   * null if it has none.
   */
  public static byte[] readingsJson(String series, ReadOnlyKeyValueStore<Bytes, byte[]> store, SeriesSettings settings,
      int last) {
    Deque<KeyValue<Bytes, byte[]>> newest = new ArrayDeque<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.prefixScan(Keys.prefix(series), new BytesSerializer())) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> kv = all.next();
        if (Keys.series(kv.key).equals(series)) {
          newest.addLast(kv);
          if (newest.size() > last) {
            newest.removeFirst();
          }
        }
      }
    }
    if (newest.isEmpty()) {
      return null;
    }
    List<String> channels = settings.channels();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("series", series);
      g.writeArrayPropertyStart("channels");
      for (String name : channels) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeArrayPropertyStart("readings");
      for (KeyValue<Bytes, byte[]> kv : newest) {
        double[] values = Keys.values(kv.value);
        g.writeStartObject();
        g.writeStringProperty("ts", Instant.ofEpochMilli(Keys.step(kv.key) * settings.stepMillis()).toString());
        g.writeObjectPropertyStart("values");
        for (int c = 0; c < channels.size() && c < values.length; c++) {
          g.writeNumberProperty(channels.get(c), values[c]);
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}

package io.tidecast.streams.message;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** Writes readings in the JSON of the readings topic, for producers such as the simulator. */
public final class ReadingJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private ReadingJson() {}

  public static byte[] write(String series, Instant ts, List<String> channels, double[] values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 24 * values.length);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("series", series);
      g.writeStringProperty("ts", ts.toString());
      g.writeObjectPropertyStart("values");
      for (int c = 0; c < channels.size(); c++) {
        g.writeNumberProperty(channels.get(c), values[c]);
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}

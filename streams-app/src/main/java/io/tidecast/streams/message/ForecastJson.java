package io.tidecast.streams.message;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

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
 * {@code lower} and {@code upper} appear only when the forecast has interval bounds. Numbers are
 * single precision (what the models compute in), each with the fewest digits that read back as the
 * same {@code float} ({@link FloatText}). Written by hand into one byte array: the topology writes
 * one of these per forecast, thousands per second, and a general JSON generator was the largest
 * cost of the whole topology.
 */
public final class ForecastJson {

  private ForecastJson() {}

  public static byte[] write(Forecast forecast) {
    List<String> channels = forecast.channels();
    byte[][] names = new byte[channels.size()][];
    int perNumber = 24 + 1;
    int perStep = 64;
    for (int c = 0; c < names.length; c++) {
      names[c] = Text.key(channels.get(c));
      perStep += 3 * (names[c].length + perNumber);
    }
    Text out = new Text(256 + perStep * forecast.horizon());
    out.raw("{\"series\":").string(forecast.series())
        .raw(",\"issuedAt\":").string(IsoTime.format(forecast.issuedAt()))
        .raw(",\"model\":{\"name\":").string(forecast.model().name())
        .raw(",\"version\":").string(forecast.model().version())
        .raw("},\"steps\":[");
    boolean first = true;
    for (ForecastStep step : forecast.steps()) {
      out.raw(first ? "{\"ts\":" : ",{\"ts\":").string(IsoTime.format(step.ts()));
      first = false;
      channels(out, ",\"yhat\":{", names, step::yhat);
      if (step.hasInterval()) {
        channels(out, ",\"lower\":{", names, step::lower);
        channels(out, ",\"upper\":{", names, step::upper);
      }
      out.raw("}");
    }
    return out.raw("]}").bytes();
  }

  private static void channels(Text out, String open, byte[][] names, IntToDoubleFunction value) {
    out.raw(open);
    for (int c = 0; c < names.length; c++) {
      if (c > 0) {
        out.raw(",");
      }
      out.raw(names[c]).number((float) value.applyAsDouble(c));
    }
    out.raw("}");
  }

  /** A growing UTF-8 buffer with the few JSON pieces a forecast needs. */
  private static final class Text {
    private byte[] bytes;
    private int size;

    Text(int capacity) {
      bytes = new byte[capacity];
    }

    /** {@code "name":} with the name escaped. */
    static byte[] key(String name) {
      Text t = new Text(name.length() * 3 + 8);
      return t.string(name).raw(":").bytes();
    }

    private void room(int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
      }
    }

    /** ASCII text as it is. */
    Text raw(String ascii) {
      room(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        bytes[size++] = (byte) ascii.charAt(i);
      }
      return this;
    }

    Text raw(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
      return this;
    }

    Text number(float value) {
      room(32);
      size = FloatText.write(value, bytes, size);
      return this;
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest UTF-8. */
    Text string(String s) {
      room(s.length() * 6 + 2);
      bytes[size++] = '"';
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"' || ch == '\\') {
          bytes[size++] = '\\';
          bytes[size++] = (byte) ch;
        } else if (ch < 0x20) {
          bytes[size++] = '\\';
          bytes[size++] = 'u';
          bytes[size++] = '0';
          bytes[size++] = '0';
          bytes[size++] = (byte) Character.forDigit(ch >> 4, 16);
          bytes[size++] = (byte) Character.forDigit(ch & 15, 16);
        } else if (ch < 0x80) {
          bytes[size++] = (byte) ch;
        } else {
          int end = i + 1;
          while (end < s.length() && s.charAt(end) >= 0x80) {
            end++;
          }
          byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8); // within the 6 per char reserved
          System.arraycopy(utf8, 0, bytes, size, utf8.length);
          size += utf8.length;
          i = end - 1;
        }
      }
      bytes[size++] = '"';
      return this;
    }

    byte[] bytes() {
      return Arrays.copyOf(bytes, size);
    }
  }
}

package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.ModelId;
import io.tidecast.streams.message.ForecastJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The value of the latest-forecast store: a compact binary form of a forecast (about a quarter of its
 * JSON), values in single precision as on the forecasts topic. It starts with the issue time, so the
 * store can compare without decoding. Queries turn it back into the JSON of the forecasts topic.
 */
public final class LatestForecast {

  private LatestForecast() {}

  static byte[] encode(Forecast forecast) {
    byte[] series = utf(forecast.series());
    byte[] name = utf(forecast.model().name());
    byte[] version = utf(forecast.model().version());
    int channels = forecast.channels().size();
    byte[][] names = new byte[channels][];
    int size = 8 + 2 + series.length + 2 + name.length + 2 + version.length + 2 + 2;
    for (int c = 0; c < channels; c++) {
      names[c] = utf(forecast.channels().get(c));
      size += 2 + names[c].length;
    }
    for (ForecastStep step : forecast.steps()) {
      size += 8 + 1 + 4 * channels * (step.hasInterval() ? 3 : 1);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putLong(forecast.issuedAt().toEpochMilli());
    putUtf(out, series);
    putUtf(out, name);
    putUtf(out, version);
    out.putShort((short) channels);
    for (byte[] n : names) {
      putUtf(out, n);
    }
    out.putShort((short) forecast.horizon());
    for (ForecastStep step : forecast.steps()) {
      out.putLong(step.ts().toEpochMilli());
      out.put((byte) (step.hasInterval() ? 1 : 0));
      putFloats(out, step.yhat());
      if (step.hasInterval()) {
        putFloats(out, step.lower());
        putFloats(out, step.upper());
      }
    }
    return out.array();
  }

  /** The bytes of {@link DataOutputStream#writeUTF} without its length (modified UTF-8). */
  private static byte[] utf(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      char ch = s.charAt(i);
      ascii = ch >= 1 && ch < 0x80;
    }
    if (ascii) {
      return s.getBytes(StandardCharsets.US_ASCII); // the same bytes
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length() + 2);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] withLength = bytes.toByteArray();
    return Arrays.copyOfRange(withLength, 2, withLength.length);
  }

  private static void putUtf(ByteBuffer out, byte[] utf) {
    out.putShort((short) utf.length).put(utf);
  }

  private static void putFloats(ByteBuffer out, double[] values) {
    for (double v : values) {
      out.putFloat((float) v);
    }
  }

  static long issuedAt(byte[] stored) {
    return ByteBuffer.wrap(stored).getLong();
  }

  /** The forecast a stored value holds. */
  public static Forecast decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      Instant issuedAt = Instant.ofEpochMilli(in.readLong());
      String series = in.readUTF();
      ModelId model = new ModelId(in.readUTF(), in.readUTF());
      int channels = in.readShort();
      List<String> names = new ArrayList<>(channels);
      for (int c = 0; c < channels; c++) {
        names.add(in.readUTF());
      }
      int horizon = in.readShort();
      List<ForecastStep> steps = new ArrayList<>(horizon);
      for (int h = 0; h < horizon; h++) {
        Instant ts = Instant.ofEpochMilli(in.readLong());
        boolean interval = in.readBoolean();
        double[] yhat = readFloats(in, channels);
        steps.add(interval
            ? new ForecastStep(ts, yhat, readFloats(in, channels), readFloats(in, channels))
            : ForecastStep.point(ts, yhat));
      }
      return new Forecast(series, issuedAt, model, names, steps);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored forecast: " + e.getMessage(), e);
    }
  }

  /** The forecast JSON of a stored value, as on the forecasts topic. */
  public static byte[] json(byte[] stored) {
    return ForecastJson.write(decode(stored));
  }

  private static double[] readFloats(DataInputStream in, int n) throws IOException {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }
}

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of the latest-forecast store: a compact binary form of a forecast (about a quarter of its
 * JSON), values in single precision as on the forecasts topic. It starts with the issue time, so the
 * store can compare without decoding. Queries turn it back into the JSON of the forecasts topic.
 */
public final class LatestForecast {

  private LatestForecast() {}

  static byte[] encode(Forecast forecast) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + forecast.horizon() * (9 + 4 * forecast.channels().size()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(forecast.issuedAt().toEpochMilli());
      out.writeUTF(forecast.series());
      out.writeUTF(forecast.model().name());
      out.writeUTF(forecast.model().version());
      out.writeShort(forecast.channels().size());
      for (String channel : forecast.channels()) {
        out.writeUTF(channel);
      }
      out.writeShort(forecast.horizon());
      for (ForecastStep step : forecast.steps()) {
        out.writeLong(step.ts().toEpochMilli());
        out.writeBoolean(step.hasInterval());
        writeFloats(out, step.yhat());
        if (step.hasInterval()) {
          writeFloats(out, step.lower());
          writeFloats(out, step.upper());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
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

  private static void writeFloats(DataOutputStream out, double[] values) throws IOException {
    for (double v : values) {
      out.writeFloat((float) v);
    }
  }

  private static double[] readFloats(DataInputStream in, int n) throws IOException {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }
}

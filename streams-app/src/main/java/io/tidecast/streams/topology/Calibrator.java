package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.streams.config.SeriesSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores forecasts against the readings of their target times and gives new forecasts calibrated
 * intervals. Each issued forecast waits in {@link StoreNames#ISSUED} (its point forecasts and the
 * half-widths it carried) until its horizon and the grace period have passed; each series'
 * {@link Calibration} lives in {@link StoreNames#ACCURACY}. Every (forecast, step) pair is scored
 * once: at issue time for readings already there, at arrival for readings that come later.
 */
final class Calibrator {

  /** Steps between sweeps of a series' whole past for forgotten forecasts. */
  private static final long SWEEP_EVERY = 256;

  private final IntervalSettings settings;
  private final KeyValueStore<Bytes, byte[]> issued;
  private final KeyValueStore<String, byte[]> accuracy;

  Calibrator(IntervalSettings settings, KeyValueStore<Bytes, byte[]> issued, KeyValueStore<String, byte[]> accuracy) {
    this.settings = settings;
    this.issued = issued;
    this.accuracy = accuracy;
  }

  /** One issued forecast as stored: where its channels are in a reading, values and half-widths. */
  private record Issued(int horizon, int[] inputIndex, float[] yhat, float[] halfWidth) {

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(8 + 4 * inputIndex.length + 8 * yhat.length);
      b.putInt(horizon).putInt(inputIndex.length);
      for (int i : inputIndex) {
        b.putInt(i);
      }
      for (int i = 0; i < yhat.length; i++) {
        b.putFloat(yhat[i]).putFloat(halfWidth[i]);
      }
      return b.array();
    }

    static Issued decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int horizon = b.getInt();
      int[] index = new int[b.getInt()];
      for (int i = 0; i < index.length; i++) {
        index[i] = b.getInt();
      }
      float[] yhat = new float[horizon * index.length];
      float[] halfWidth = new float[yhat.length];
      for (int i = 0; i < yhat.length; i++) {
        yhat[i] = b.getFloat();
        halfWidth[i] = b.getFloat();
      }
      return new Issued(horizon, index, yhat, halfWidth);
    }

    /** Scores this forecast's step {@code h} (1-based) against a reading. */
    void score(Calibration calibration, int h, double[] reading, IntervalSettings settings) {
      int channels = inputIndex.length;
      for (int c = 0; c < channels; c++) {
        if (inputIndex[c] >= 0) {
          int i = (h - 1) * channels + c;
          calibration.observe(h - 1, c, reading[inputIndex[c]] - yhat[i], halfWidth[i], settings);
        }
      }
    }
  }

  /**
   * The forecast with interval bounds on every step whose half-widths are known; kept for scoring,
   * and scored at once against the readings already in {@code buffer}.
   */
  Forecast issue(Forecast forecast, long issueStep, SeriesSettings series, SeriesBuffer buffer) {
    List<String> names = forecast.channels();
    int horizon = forecast.horizon();
    int channels = names.size();
    Calibration calibration = load(forecast.series(), horizon, names);
    int[] inputIndex = new int[channels];
    for (int c = 0; c < channels; c++) {
      inputIndex[c] = series.channels().indexOf(names.get(c));
    }
    float[] yhat = new float[horizon * channels];
    float[] halfWidth = new float[horizon * channels];
    List<ForecastStep> steps = new ArrayList<>(horizon);
    for (int h = 0; h < horizon; h++) {
      ForecastStep step = forecast.steps().get(h);
      double[] lower = new double[channels];
      double[] upper = new double[channels];
      boolean known = true;
      for (int c = 0; c < channels; c++) {
        double width = calibration.halfWidth(h, c);
        yhat[h * channels + c] = (float) step.yhat(c);
        halfWidth[h * channels + c] = (float) width;
        known &= !Double.isNaN(width);
        lower[c] = step.yhat(c) - width;
        upper[c] = step.yhat(c) + width;
      }
      steps.add(known ? new ForecastStep(step.ts(), step.yhat(), lower, upper) : ForecastStep.point(step.ts(), step.yhat()));
    }
    Issued entry = new Issued(horizon, inputIndex, yhat, halfWidth);
    long last = Math.min(issueStep + horizon, buffer.newest());
    for (long t = issueStep + 1; t <= last; t++) {
      if (buffer.contains(t)) {
        entry.score(calibration, (int) (t - issueStep), buffer.get(t), settings);
      }
    }
    issued.put(Keys.of(forecast.series(), issueStep), entry.encode());
    accuracy.put(forecast.series(), calibration.encode());
    return new Forecast(forecast.series(), forecast.issuedAt(), forecast.model(), names, steps);
  }

  /**
   * Scores the waiting forecasts whose target times include {@code step}, where a reading has just
   * been placed, and forgets those that no reading can reach any more.
   */
  void observe(String series, long step, double[] reading, SeriesSettings settings, long newest) {
    byte[] stored = accuracy.get(series);
    if (stored == null) {
      return; // no forecast of this series yet
    }
    Calibration calibration = Calibration.decode(stored);
    boolean scored = false;
    try (KeyValueIterator<Bytes, byte[]> waiting =
        issued.range(Keys.of(series, step - calibration.horizon), Keys.of(series, step - 1))) {
      while (waiting.hasNext()) {
        KeyValue<Bytes, byte[]> kv = waiting.next();
        Issued entry = Issued.decode(kv.value);
        int h = (int) (step - Keys.step(kv.key));
        if (h >= 1 && h <= entry.horizon()) {
          entry.score(calibration, h, reading, this.settings);
          scored = true;
        }
      }
    }
    if (scored) {
      accuracy.put(series, calibration.encode());
    }
    long expired = newest - calibration.horizon - settings.graceSteps() - 1;
    // A short range behind the newest step holds what just expired; the whole past is swept now
    // and then (forecasts left behind by a long gap), since deleted keys slow a range scan down.
    long sweepFrom = newest % SWEEP_EVERY == 0 ? 0 : Math.max(0, expired - SWEEP_EVERY);
    List<Bytes> done = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> old = issued.range(Keys.of(series, sweepFrom), Keys.of(series, expired))) {
      old.forEachRemaining(kv -> done.add(kv.key));
    }
    done.forEach(issued::delete);
  }

  private Calibration load(String series, int horizon, List<String> names) {
    byte[] stored = accuracy.get(series);
    if (stored != null) {
      Calibration calibration = Calibration.decode(stored);
      if (calibration.horizon == horizon && calibration.names.equals(names)) {
        return calibration;
      }
    }
    return new Calibration(horizon, names); // first forecast, or a model with another shape: start over
  }
}

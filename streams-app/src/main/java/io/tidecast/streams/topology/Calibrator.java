package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.streams.config.SeriesSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.common.serialization.BytesSerializer;
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
 *
 * <p>The stores are the durable copy, written on every change; this object keeps a working copy of
 * each series it has touched (its calibration, and its waiting forecasts by issue step), read from
 * the stores the first time, so that a reading costs no decoding and no range scan. A task revived
 * over restored stores makes a new calibrator. The working copy holds, per series, the forecasts
 * still waiting for readings: about {@code horizon + grace} of them.
 */
final class Calibrator {

  private final Calibration.Rates rates;
  private final KeyValueStore<Bytes, byte[]> issued;
  private final KeyValueStore<String, byte[]> accuracy;
  private final Map<String, Calibration> calibrations = new HashMap<>();
  private final Map<String, Waiting> waiting = new HashMap<>();

  Calibrator(IntervalSettings settings, KeyValueStore<Bytes, byte[]> issued, KeyValueStore<String, byte[]> accuracy) {
    this.rates = Calibration.Rates.of(settings);
    this.issued = issued;
    this.accuracy = accuracy;
  }

  /** One issued forecast as stored: where its channels are in a reading, values and half-widths. */
  record Issued(int horizon, int[] inputIndex, float[] yhat, float[] halfWidth) {

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
    void score(Calibration calibration, int h, double[] reading, Calibration.Rates rates) {
      int channels = inputIndex.length;
      if (horizon != calibration.horizon || channels != calibration.channels) {
        return; // issued by a model of another shape, before the calibration started over
      }
      for (int c = 0; c < channels; c++) {
        if (inputIndex[c] >= 0) {
          int i = (h - 1) * channels + c;
          calibration.observe(h - 1, c, reading[inputIndex[c]] - yhat[i], halfWidth[i], rates);
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
    boolean changed = calibrations.put(forecast.series(), calibration) != calibration;
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
        entry.score(calibration, (int) (t - issueStep), buffer.get(t), rates);
        changed = true;
      }
    }
    waiting(forecast.series()).put(issueStep, entry);
    issued.put(Keys.of(forecast.series(), issueStep), entry.encode());
    if (changed) { // (usually it is not: the readings of a new forecast's target times come later)
      accuracy.put(forecast.series(), calibration.encode());
    }
    return new Forecast(forecast.series(), forecast.issuedAt(), forecast.model(), names, steps);
  }

  /**
   * Scores the waiting forecasts whose target times include {@code step}, where a reading has just
   * been placed, and forgets those that no reading can reach any more.
   */
  void observe(String series, long step, double[] reading, SeriesSettings settings, long newest) {
    Calibration calibration = calibration(series);
    if (calibration == null) {
      return; // no forecast of this series yet
    }
    Waiting own = waiting(series);
    boolean scored = false;
    for (int h = 1; h <= calibration.horizon; h++) {
      Issued entry = own.get(step - h);
      if (entry != null && h <= entry.horizon()) {
        entry.score(calibration, h, reading, rates);
        scored = true;
      }
    }
    if (scored) {
      accuracy.put(series, calibration.encode());
    }
    // no reading can reach these any more
    own.expire(newest - calibration.horizon - settings.graceSteps() - 1, done -> issued.delete(Keys.of(series, done)));
  }

  /** The series' calibration, or null before its first forecast. */
  private Calibration calibration(String series) {
    Calibration calibration = calibrations.get(series);
    if (calibration == null) {
      byte[] stored = accuracy.get(series);
      if (stored != null) {
        calibration = Calibration.decode(stored);
        calibrations.put(series, calibration);
      }
    }
    return calibration;
  }

  /** The series' forecasts waiting for readings, by issue step. */
  private Waiting waiting(String series) {
    Waiting own = waiting.get(series);
    if (own == null) {
      own = new Waiting();
      try (KeyValueIterator<Bytes, byte[]> stored = issued.prefixScan(Keys.prefix(series), new BytesSerializer())) {
        while (stored.hasNext()) {
          KeyValue<Bytes, byte[]> kv = stored.next();
          own.put(Keys.step(kv.key), Issued.decode(kv.value));
        }
      }
      waiting.put(series, own);
    }
    return own;
  }

  private Calibration load(String series, int horizon, List<String> names) {
    Calibration calibration = calibration(series);
    if (calibration != null && calibration.horizon == horizon && calibration.names.equals(names)) {
      return calibration;
    }
    return new Calibration(horizon, names); // first forecast, or a model with another shape: start over
  }

  /**
   * One series' forecasts waiting for readings, by issue step: a ring indexed by step, as large as
   * the steps between the oldest and the newest waiting forecast need (it doubles when they do not fit).
   */
  static final class Waiting {
    private long[] steps = new long[64];
    private Issued[] entries = new Issued[64];
    private int size;

    Issued get(long step) {
      int slot = slot(step);
      return entries[slot] != null && steps[slot] == step ? entries[slot] : null;
    }

    void put(long step, Issued entry) {
      int slot = slot(step);
      if (entries[slot] != null && steps[slot] != step) {
        grow();
        put(step, entry);
        return;
      }
      if (entries[slot] == null) {
        size++;
      }
      steps[slot] = step;
      entries[slot] = entry;
    }

    /** Removes every entry issued at or before {@code upTo}, telling {@code removed} its step. */
    void expire(long upTo, LongConsumer removed) {
      if (size == 0) {
        return;
      }
      for (int i = 0; i < entries.length; i++) {
        if (entries[i] != null && steps[i] <= upTo) {
          removed.accept(steps[i]);
          entries[i] = null;
          size--;
        }
      }
    }

    int size() {
      return size;
    }

    private int slot(long step) {
      return (int) (step & (entries.length - 1));
    }

    private void grow() {
      long[] oldSteps = steps;
      Issued[] oldEntries = entries;
      steps = new long[oldSteps.length * 2];
      entries = new Issued[oldEntries.length * 2];
      size = 0;
      for (int i = 0; i < oldEntries.length; i++) {
        if (oldEntries[i] != null) {
          put(oldSteps[i], oldEntries[i]);
        }
      }
    }
  }
}

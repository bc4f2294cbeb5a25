package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.message.ForecastJson;
import io.tidecast.streams.message.Reading;
import io.tidecast.streams.message.Rejection;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places readings on each series' grid, decides when a series is due for a forecast, and serves
 * due series in batches.
 *
 * <p>Policy, per series (see {@link SeriesSettings}):
 *
 * <ul>
 *   <li>A reading's time is rounded to the nearest grid step. A reading more than {@code grace}
 *       behind the newest step is dead-lettered as {@code late}. One for a step that already has a
 *       reading replaces it and counts once: it triggers nothing.
 *   <li>Every {@code hop}-th new newest reading makes the series due: a forecast issued at that
 *       reading's time, from the window that ends there. Readings placed behind the newest (out of
 *       order, within grace) fill their step and trigger nothing.
 *   <li>A window whose gaps are all at most {@code maxInterpolated} steps long, with readings on
 *       both sides, is forecast from after linear interpolation; a window with a longer gap, or one
 *       not yet full, is skipped until the window is whole again.
 *   <li>Due forecasts wait in a store (so a crash loses none) and run as one model call per model
 *       when {@link BatchSettings#maxSize()} are waiting, or when the punctuator fires.
 * </ul>
 */
final class WindowProcessor implements Processor<String, Parsed, Object, Object> {

  static final String NAME = "windows";
  static final String FORECAST_SINK = "forecasts";

  private static final Logger log = LoggerFactory.getLogger(WindowProcessor.class);
  private static final BytesSerializer BYTES = new BytesSerializer();

  private final SeriesCatalog catalog;
  private final ModelRouter router;
  private final BatchSettings batch;
  private final Map<String, Integer> inputLengths;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Bytes, byte[]> readings;
  private KeyValueStore<String, byte[]> seriesState;
  private KeyValueStore<Bytes, byte[]> due;
  private KeyValueStore<String, byte[]> latest;
  private final Map<String, SeriesBuffer> buffers = new HashMap<>();
  private final Map<Bytes, Long> pending = new LinkedHashMap<>();

  WindowProcessor(SeriesCatalog catalog, ModelRouter router, BatchSettings batch,
      Map<String, Integer> inputLengths) {
    this.catalog = catalog;
    this.router = router;
    this.batch = batch;
    this.inputLengths = inputLengths;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    // A task revived after an aborted transaction re-initialises this instance over restored
    // stores: nothing held in memory may outlive that.
    buffers.clear();
    pending.clear();
    readings = context.getStateStore(StoreNames.READINGS);
    seriesState = context.getStateStore(StoreNames.SERIES_STATE);
    due = context.getStateStore(StoreNames.DUE);
    latest = context.getStateStore(StoreNames.LATEST_FORECAST);
    try (KeyValueIterator<Bytes, byte[]> restored = due.all()) {
      restored.forEachRemaining(kv -> pending.put(kv.key, Keys.step(kv.key)));
    }
    context.schedule(batch.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
  }

  @Override
  public void process(Record<String, Parsed> record) {
    Reading reading = record.value().reading();
    String series = reading.series();
    SeriesSettings settings = catalog.settings(series);
    long stepMillis = settings.stepMillis();
    long step = Math.floorDiv(reading.ts().toEpochMilli() + stepMillis / 2, stepMillis);
    SeriesBuffer buffer = buffer(series, settings);
    long newest = buffer.newest();
    if (newest != SeriesBuffer.EMPTY && step < newest - settings.graceSteps()) {
      DeadLetters.send(context, record, record.value().key(), record.value().value(),
          new Rejection(Rejection.LATE, "reading at " + reading.ts() + " is more than " + settings.grace()
              + " behind the newest reading of " + series + " at " + Instant.ofEpochMilli(newest * stepMillis)));
      return;
    }
    boolean duplicate = buffer.contains(step);
    long evicted = buffer.put(step, reading.values());
    if (evicted != SeriesBuffer.EMPTY) {
      readings.delete(Keys.of(series, evicted));
    }
    readings.put(Keys.of(series, step), Keys.values(reading.values()));
    if (duplicate || step <= newest) {
      return;
    }
    int since = sinceForecast(series) + 1;
    if (since >= settings.hop()) {
      since = 0;
      if (!buffer.reaches(step, inputLength(settings))) {
        seriesState.put(series, ByteBuffer.allocate(4).putInt(since).array());
        return; // warming up: the first window is not full yet
      }
      Bytes key = Keys.of(series, step);
      due.put(key, new byte[0]);
      pending.put(key, step);
    }
    seriesState.put(series, ByteBuffer.allocate(4).putInt(since).array());
    if (pending.size() >= batch.maxSize()) {
      flush();
    }
  }

  @Override
  public void close() {
    buffers.clear();
    pending.clear();
  }

  private int sinceForecast(String series) {
    byte[] state = seriesState.get(series);
    return state == null ? 0 : ByteBuffer.wrap(state).getInt();
  }

  private SeriesBuffer buffer(String series, SeriesSettings settings) {
    SeriesBuffer buffer = buffers.get(series);
    if (buffer == null) {
      int capacity = inputLength(settings) + settings.graceSteps() + 64;
      buffer = new SeriesBuffer(capacity, settings.channels().size());
      try (KeyValueIterator<Bytes, byte[]> stored = readings.prefixScan(Keys.prefix(series), BYTES)) {
        while (stored.hasNext()) {
          KeyValue<Bytes, byte[]> kv = stored.next();
          buffer.put(Keys.step(kv.key), Keys.values(kv.value));
        }
      }
      buffers.put(series, buffer);
    }
    return buffer;
  }

  private int inputLength(SeriesSettings settings) {
    Integer length = inputLengths.get(settings.model());
    if (length == null) {
      throw new IllegalStateException("no input length known for model " + settings.model());
    }
    return length;
  }

  /** Runs every due forecast, one model call per model. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, List<SeriesWindow>> byModel = new LinkedHashMap<>();
    for (Map.Entry<Bytes, Long> entry : pending.entrySet()) {
      String series = Keys.series(entry.getKey());
      SeriesSettings settings = catalog.settings(series);
      SeriesWindow window = window(series, settings, entry.getValue());
      if (window != null) {
        byModel.computeIfAbsent(settings.model(), m -> new ArrayList<>()).add(window);
      }
      due.delete(entry.getKey());
    }
    pending.clear();
    for (Map.Entry<String, List<SeriesWindow>> group : byModel.entrySet()) {
      Forecaster model = router.forModel(group.getKey());
      for (Forecast forecast : forecast(model, group.getValue())) {
        emit(forecast);
      }
    }
  }

  private SeriesWindow window(String series, SeriesSettings settings, long end) {
    SeriesBuffer buffer = buffer(series, settings);
    int length = inputLength(settings);
    double[][] values = buffer.window(end, length, settings.maxInterpolated());
    if (values == null) {
      return null;
    }
    long stepMillis = settings.stepMillis();
    Instant[] times = new Instant[length];
    for (int t = 0; t < length; t++) {
      times[t] = Instant.ofEpochMilli((end - length + 1 + t) * stepMillis);
    }
    return SeriesWindow.complete(series, settings.channels(), times, values);
  }

  /** One call for the batch; if the model refuses it, one call per window so one bad window costs one forecast. */
  private static List<Forecast> forecast(Forecaster model, List<SeriesWindow> windows) {
    try {
      return model.forecast(windows);
    } catch (IllegalArgumentException batchFailure) {
      List<Forecast> forecasts = new ArrayList<>(windows.size());
      for (SeriesWindow window : windows) {
        try {
          forecasts.addAll(model.forecast(List.of(window)));
        } catch (IllegalArgumentException e) {
          log.error("model {} cannot forecast {} at {}: {}", model.id(), window.series(), window.end(),
              e.getMessage());
        }
      }
      return forecasts;
    }
  }

  private void emit(Forecast forecast) {
    byte[] json = ForecastJson.write(forecast);
    long issuedAt = forecast.issuedAt().toEpochMilli();
    context.forward(new Record<Object, Object>(forecast.series(), json, issuedAt), FORECAST_SINK);
    byte[] previous = latest.get(forecast.series());
    if (previous == null || LatestForecast.issuedAt(previous) <= issuedAt) {
      latest.put(forecast.series(), LatestForecast.encode(forecast));
    }
  }
}

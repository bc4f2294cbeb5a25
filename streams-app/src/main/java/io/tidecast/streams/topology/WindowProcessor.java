package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.StreamingForecaster;
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
 *       when {@link BatchSettings#maxSize()} are waiting, or when the punctuator fires, or before a
 *       reading would push out of the series' buffer a step a waiting forecast still reads.
 *   <li>A model with recurrent state ({@link StreamingForecaster}) keeps each series' state in
 *       memory and in {@link StoreNames#RECURRENT_STATE}: at a flush the state reads the readings
 *       since the step it last read (one batched update per reading across the series due), then
 *       forecasts. The store copy is renewed every quarter warm-up of readings; after a restart a
 *       state resumes from it and reads the buffered readings it is behind.
 *       Readings that arrive out of order, a model version change or a gap longer than a window
 *       make the state start over from the window ending at the due step.
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
  private final TopologyEvents events;
  private final IntervalSettings intervals;
  private Calibrator calibrator;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Bytes, byte[]> readings;
  private KeyValueStore<String, byte[]> seriesState;
  private KeyValueStore<Bytes, byte[]> due;
  private KeyValueStore<String, byte[]> latest;
  private KeyValueStore<String, byte[]> recurrent;
  private final Map<String, SeriesBuffer> buffers = new HashMap<>();
  /** Readings since each series' last forecast, as in {@link StoreNames#SERIES_STATE} (read through, written on change). */
  private final Map<String, Integer> sinceForecast = new HashMap<>();
  /** The issue time of each series' latest forecast, as in {@link StoreNames#LATEST_FORECAST} (read through). */
  private final Map<String, Long> latestIssuedAt = new HashMap<>();
  /**
   * Each series' newest recurrent state. The store copy is written only every
   * {@link #storeEvery(StreamingForecaster)} readings: a state a few steps behind catches up from
   * the buffered readings after a restart and becomes the state it would have been, so writing
   * every step (kilobytes a reading into the changelog) bought nothing.
   */
  private final Map<String, LiveState> liveStates = new HashMap<>();
  private final Map<Bytes, Long> pending = new LinkedHashMap<>();
  /** The oldest pending due step of each series with pending forecasts. */
  private final Map<String, Long> oldestDue = new HashMap<>();
  /** When the oldest pending forecast became due, in wall-clock milliseconds. */
  private long oldestPendingSince;

  WindowProcessor(SeriesCatalog catalog, ModelRouter router, BatchSettings batch,
      Map<String, Integer> inputLengths, IntervalSettings intervals, TopologyEvents events) {
    this.catalog = catalog;
    this.intervals = intervals;
    this.events = events;
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
    sinceForecast.clear();
    latestIssuedAt.clear();
    liveStates.clear();
    pending.clear();
    oldestDue.clear();
    readings = context.getStateStore(StoreNames.READINGS);
    seriesState = context.getStateStore(StoreNames.SERIES_STATE);
    due = context.getStateStore(StoreNames.DUE);
    latest = context.getStateStore(StoreNames.LATEST_FORECAST);
    recurrent = context.getStateStore(StoreNames.RECURRENT_STATE);
    calibrator = intervals.enabled()
        ? new Calibrator(intervals, context.getStateStore(StoreNames.ISSUED), context.getStateStore(StoreNames.ACCURACY))
        : null;
    try (KeyValueIterator<Bytes, byte[]> restored = due.all()) {
      restored.forEachRemaining(kv -> {
        pending.put(kv.key, Keys.step(kv.key));
        oldestDue.merge(Keys.series(kv.key), Keys.step(kv.key), Math::min);
      });
    }
    oldestPendingSince = context.currentSystemTimeMs();
    // checked twice per wait, so that nothing waits much longer than maxWait
    context.schedule(java.time.Duration.ofMillis(Math.max(1, batch.maxWait().toMillis() / 2)),
        PunctuationType.WALL_CLOCK_TIME, now -> {
      // Only what has waited its full time: when flushes are slow the punctuator is always due,
      // and flushing whatever came since the last one would shrink batches to a record or two.
      if (now - oldestPendingSince >= batch.maxWait().toMillis()) {
        flush();
      }
    });
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
              + " behind the newest reading of " + series + " at " + Instant.ofEpochMilli(newest * stepMillis)),
          events);
      return;
    }
    boolean duplicate = buffer.contains(step);
    boolean changed = !duplicate || !java.util.Arrays.equals(buffer.get(step), reading.values());
    // A reading that would push out of the buffer a step the oldest pending forecast of this series
    // still reads (readings of one series outrunning the batches) first serves what is pending.
    Long oldest = oldestDue.get(series);
    // (a window reads maxInterpolated steps before its start too, to interpolate from)
    if (oldest != null && step > newest
        && step - (oldest - inputLength(settings) - settings.maxInterpolated() + 1) >= buffer.capacity()) {
      flush();
    }
    long evicted = buffer.put(step, reading.values());
    if (evicted != SeriesBuffer.EMPTY) {
      readings.delete(Keys.of(series, evicted));
    }
    readings.put(Keys.of(series, step), Keys.values(reading.values()));
    if (calibrator != null && !duplicate) {
      calibrator.observe(series, step, reading.values(), settings, buffer.newest());
    }
    if (duplicate || step <= newest) {
      if (changed) {
        forgetStateAfter(series, step);
      }
      return;
    }
    int since = sinceForecast(series) + 1;
    if (since >= settings.hop()) {
      since = 0;
      if (!buffer.reaches(step, inputLength(settings))) {
        setSinceForecast(series, since);
        return; // warming up: the first window is not full yet
      }
      Bytes key = Keys.of(series, step);
      due.put(key, new byte[0]);
      if (pending.isEmpty()) {
        oldestPendingSince = context.currentSystemTimeMs();
      }
      pending.put(key, step);
      oldestDue.putIfAbsent(series, step);
    }
    setSinceForecast(series, since);
    if (pending.size() >= batch.maxSize()) {
      flush();
    }
  }

  @Override
  public void close() {
    buffers.clear();
    sinceForecast.clear();
    latestIssuedAt.clear();
    liveStates.clear();
    pending.clear();
    oldestDue.clear();
  }

  /**
   * A reading placed at or behind the step a recurrent state has read (out of order, or replacing
   * one) changes readings the state already holds: the state goes, and the next forecast starts
   * over from its window.
   */
  private void forgetStateAfter(String series, long step) {
    LiveState live = liveStates.get(series);
    if (live != null && live.step() >= step) {
      liveStates.remove(series);
    }
    byte[] stored = recurrent.get(series);
    if (stored != null && RecurrentStates.decode(stored).step() >= step) {
      recurrent.delete(series);
    }
  }

  private int sinceForecast(String series) {
    Integer since = sinceForecast.get(series);
    if (since == null) {
      byte[] state = seriesState.get(series);
      since = state == null ? 0 : ByteBuffer.wrap(state).getInt();
      sinceForecast.put(series, since);
    }
    return since;
  }

  private void setSinceForecast(String series, int since) {
    Integer before = sinceForecast.put(series, since);
    if (before == null || before != since) {
      seriesState.put(series, ByteBuffer.allocate(4).putInt(since).array());
    }
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

  /** Runs every due forecast, one model call per model (per reading, for recurrent models). */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, List<Due>> byModel = new LinkedHashMap<>();
    for (Map.Entry<Bytes, Long> entry : pending.entrySet()) {
      String series = Keys.series(entry.getKey());
      SeriesSettings settings = catalog.settings(series);
      byModel.computeIfAbsent(settings.model(), m -> new ArrayList<>())
          .add(new Due(series, settings, entry.getValue()));
      due.delete(entry.getKey());
    }
    pending.clear();
    oldestDue.clear();
    for (Map.Entry<String, List<Due>> group : byModel.entrySet()) {
      Forecaster model = router.forModel(group.getKey());
      long started = System.nanoTime();
      List<Forecast> forecasts = model instanceof StreamingForecaster<?> recurrent
          ? streamed(recurrent, group.getValue())
          : forecast(model, windows(group.getValue()));
      events.served(group.getKey(), forecasts.size(), System.nanoTime() - started);
      forecasts.forEach(this::emit);
    }
  }

  /** A forecast due for {@code series} at grid step {@code step}. */
  private record Due(String series, SeriesSettings settings, long step) {}

  private List<SeriesWindow> windows(List<Due> dues) {
    List<SeriesWindow> windows = new ArrayList<>(dues.size());
    for (Due d : dues) {
      SeriesWindow window = window(d.series(), d.settings(), d.step());
      if (window != null) {
        windows.add(window);
      }
    }
    return windows;
  }

  /**
   * The readings one series' state must still read: steps {@code from .. from + values.length - 1},
   * forecasts due at some of them.
   */
  private static final class Feed<S> {
    static final long NONE = Long.MIN_VALUE;

    final String series;
    final long from;
    final double[][] values;
    final List<Long> dueSteps;
    final S start;
    /** The step of this series' state in the store, or {@link #NONE} if none of this model's. */
    final long storedStep;
    S state;

    Feed(String series, long from, double[][] values, List<Long> dueSteps, S start,
        long storedStep) {
      this.series = series;
      this.from = from;
      this.values = values;
      this.dueSteps = dueSteps;
      this.start = start;
      this.storedStep = storedStep;
    }

    long end() {
      return from + values.length - 1;
    }
  }

  /**
   * Serves a recurrent model: each series' stored state reads the readings after the step it has
   * read (one batched update per reading across series) and forecasts where due. A series with no
   * usable state (none yet, another model's, behind by more than a window, or ahead of the due
   * step) starts from the initial state on the last window, which a recurrent model of this kind
   * turns into the same state.
   */
  private <S> List<Forecast> streamed(StreamingForecaster<S> model, List<Due> dues) {
    int length = model.warmUp();
    Map<String, List<Due>> bySeries = new LinkedHashMap<>();
    for (Due d : dues) {
      bySeries.computeIfAbsent(d.series(), k -> new ArrayList<>()).add(d);
    }
    List<Feed<S>> feeds = new ArrayList<>();
    for (List<Due> own : bySeries.values()) {
      own.sort(java.util.Comparator.comparingLong(Due::step));
      Due first = own.get(0);
      Due last = own.get(own.size() - 1);
      LiveState live = latestState(model, first.series());
      boolean resume = live != null && live.step() < first.step()
          && first.step() - live.step() <= length;
      @SuppressWarnings("unchecked") // a live state of this model is the model's own type
      S state = resume ? (S) live.state() : null;
      long storedStep = live != null ? live.storedStep() : Feed.NONE;
      long from = state != null ? live.step() + 1 : first.step() - length + 1;
      double[][] values = buffer(first.series(), first.settings())
          .window(last.step(), (int) (last.step() - from + 1), first.settings().maxInterpolated());
      if (values != null) {
        feeds.add(new Feed<>(first.series(), from, values,
            own.stream().map(Due::step).toList(),
            state != null ? state : model.initialState(), storedStep));
      } else {
        // a long gap somewhere: each due forecast on its own window, where that one is whole
        for (Due d : own) {
          double[][] window = buffer(d.series(), d.settings())
              .window(d.step(), length, d.settings().maxInterpolated());
          if (window != null) {
            feeds.add(new Feed<>(d.series(), d.step() - length + 1, window, List.of(d.step()),
                model.initialState(), storedStep));
          }
        }
      }
    }
    try {
      return run(model, feeds);
    } catch (IllegalArgumentException e) {
      // one series the model refuses must not cost the others their forecasts
      List<Forecast> forecasts = new ArrayList<>();
      for (Feed<S> feed : feeds) {
        try {
          forecasts.addAll(run(model, List.of(feed)));
        } catch (IllegalArgumentException refused) {
          recurrent.delete(feed.series);
          liveStates.remove(feed.series);
          log.error("model {} cannot serve {} at {}: {}", model.id(), feed.series,
              Instant.ofEpochMilli(feed.end() * catalog.settings(feed.series).stepMillis()),
              refused.getMessage());
        }
      }
      return forecasts;
    }
  }

  /**
   * The newest state of {@code series} this model made: the live one, else the store's (it becomes
   * the live one once a flush has run it); null if there is none or the model cannot read it.
   */
  private <S> LiveState latestState(StreamingForecaster<S> model, String series) {
    String name = model.id().toString();
    LiveState live = liveStates.get(series);
    if (live != null && live.model().equals(name)) {
      return live;
    }
    byte[] bytes = recurrent.get(series);
    RecurrentStates stored = bytes == null ? null : RecurrentStates.decode(bytes);
    if (stored == null || !stored.model().equals(name)) {
      return null;
    }
    S state = decoded(model, stored, series);
    return state == null ? null : new LiveState(name, stored.step(), state, stored.step());
  }

  /**
   * How many readings a series' state may run ahead of its store copy: a quarter of the model's
   * warm-up, so a restart replays at most that many buffered readings per series.
   */
  static int storeEvery(StreamingForecaster<?> model) {
    return Math.max(1, model.warmUp() / 4);
  }

  /**
   * A series' newest state: made by {@code model} ({@code name:version}) after reading grid step
   * {@code step}; the store holds this model's state as of {@code storedStep} ({@link Feed#NONE}:
   * none).
   */
  private record LiveState(String model, long step, Object state, long storedStep) {}

  /** A stored state, or null (then the window is read again) if this model cannot read it. */
  private static <S> S decoded(StreamingForecaster<S> model, RecurrentStates stored,
      String series) {
    try {
      return model.decode(stored.state());
    } catch (IllegalArgumentException e) {
      log.warn("state of {} does not fit model {} ({}); reading its window again", series,
          model.id(), e.getMessage());
      return null;
    }
  }

  /**
   * Runs feeds round by round (one batched update per round) and forecasts where due; stores
   * every feed's final state.
   *
   * @throws IllegalArgumentException if the model refuses a reading or a state
   */
  private <S> List<Forecast> run(StreamingForecaster<S> model, List<Feed<S>> feeds) {
    List<String> names = new ArrayList<>();
    List<S> ready = new ArrayList<>();
    int rounds = feeds.stream().mapToInt(f -> f.values.length).max().orElse(0);
    feeds.forEach(feed -> feed.state = feed.start);
    for (int r = 0; r < rounds; r++) {
      List<Feed<S>> active = new ArrayList<>();
      List<S> states = new ArrayList<>();
      List<Observation> readings = new ArrayList<>();
      for (Feed<S> feed : feeds) {
        if (r < feed.values.length) {
          active.add(feed);
          states.add(feed.state);
          long step = feed.from + r;
          readings.add(new Observation(Instant.ofEpochMilli(
              step * catalog.settings(feed.series).stepMillis()), feed.values[r]));
        }
      }
      List<S> next = model.update(states, readings);
      for (int i = 0; i < active.size(); i++) {
        Feed<S> feed = active.get(i);
        feed.state = next.get(i);
        if (feed.dueSteps.contains(feed.from + r)) {
          names.add(feed.series);
          ready.add(feed.state);
        }
      }
    }
    List<Forecast> forecasts = model.forecast(names, ready);
    int every = storeEvery(model);
    for (Feed<S> feed : feeds) {
      long stored = feed.storedStep;
      if (stored == Feed.NONE || feed.end() - stored >= every || feed.end() < stored) {
        recurrent.put(feed.series,
            RecurrentStates.of(model.id(), feed.end(), model.encode(feed.state)).encode());
        stored = feed.end();
      }
      liveStates.put(feed.series,
          new LiveState(model.id().toString(), feed.end(), feed.state, stored));
    }
    return forecasts;
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

  private void emit(Forecast point) {
    Forecast forecast = point;
    if (calibrator != null) {
      SeriesSettings settings = catalog.settings(point.series());
      forecast = calibrator.issue(point, point.issuedAt().toEpochMilli() / settings.stepMillis(), settings,
          buffer(point.series(), settings));
    }
    byte[] json = ForecastJson.write(forecast);
    long issuedAt = forecast.issuedAt().toEpochMilli();
    context.forward(new Record<Object, Object>(forecast.series(), json, issuedAt), FORECAST_SINK);
    long previous = latestIssuedAt.computeIfAbsent(forecast.series(), series -> {
      byte[] stored = latest.get(series);
      return stored == null ? Long.MIN_VALUE : LatestForecast.issuedAt(stored);
    });
    if (previous <= issuedAt) {
      latest.put(forecast.series(), LatestForecast.encode(forecast));
      latestIssuedAt.put(forecast.series(), issuedAt);
    }
  }
}

package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.message.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A recurrent state runs ahead of its store copy by a few readings; a processor made again over
 * the same stores (a restart, or a task revived after an aborted transaction) resumes from the
 * store copy, reads the buffered readings it is behind, and forecasts what an uninterrupted one
 * does.
 */
class RecurrentRestartTest {

  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  private static final List<String> CHANNELS = List.of("a", "b");
  /** A warm-up of 12: the store copy is renewed every 3 readings. */
  private static final ForecasterSpec SPEC =
      new ForecasterSpec(12, 2, CHANNELS, CHANNELS, Frequency.HOURLY);
  private static final SeriesSettings SETTINGS = new SeriesSettings("mean", CHANNELS,
      Frequency.HOURLY, 1, Duration.ofHours(3), 2);
  private static final IntervalSettings NO_INTERVALS = new IntervalSettings(false, 0.9, 0.05, 168);

  /** One processor over a set of stores, as one task. */
  private static final class Task {
    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    final StreamingMean model = new StreamingMean(SPEC, "1");
    WindowProcessor processor;

    Task() {
      context.setCurrentSystemTimeMs(0);
      add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.READINGS),
          Serdes.Bytes(), Serdes.ByteArray()));
      add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.SERIES_STATE),
          Serdes.String(), Serdes.ByteArray()));
      add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.DUE),
          Serdes.Bytes(), Serdes.ByteArray()));
      add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.LATEST_FORECAST),
          Serdes.String(), Serdes.ByteArray()));
      add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.RECURRENT_STATE),
          Serdes.String(), Serdes.ByteArray()));
      start();
    }

    private void add(StoreBuilder<? extends KeyValueStore<?, ?>> builder) {
      KeyValueStore<?, ?> store = builder.withLoggingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }

    /** A new processor over this task's stores, as after a restart. */
    void start() {
      processor = new WindowProcessor(new SeriesCatalog(SETTINGS, Map.of()), name -> model,
          new BatchSettings(1000, Duration.ofSeconds(1)), Map.of("mean", SPEC.inputLength()),
          NO_INTERVALS, TopologyEvents.NONE);
      processor.init(context);
    }

    /** Takes the reading of hour {@code h} and serves what is due; returns the forecasts made. */
    List<String> read(int h) {
      Reading reading = new Reading("s1", T0.plusSeconds(h * 3600L),
          new double[] {Math.sin(h * 0.7) * 10 + h, h * 0.1 - 3});
      processor.process(new Record<>("s1", new Parsed(reading, new byte[0], new byte[0]), 0L));
      context.resetForwards();
      processor.flush();
      List<String> out = new ArrayList<>();
      context.forwarded().forEach(f ->
          out.add(new String((byte[]) f.record().value(), StandardCharsets.UTF_8)));
      return out;
    }

    /** The grid step of the state in the store. */
    long storedStep() {
      KeyValueStore<String, byte[]> store = context.getStateStore(StoreNames.RECURRENT_STATE);
      return RecurrentStates.decode(store.get("s1")).step();
    }
  }

  @Test
  void theStoreCopyLagsByLessThanAQuarterWarmUpAndARestartForecastsTheSame() {
    Task uninterrupted = new Task();
    Task restarted = new Task();
    long firstStep = T0.toEpochMilli() / 3_600_000;
    for (int h = 0; h < 29; h++) {
      assertThat(restarted.read(h)).isEqualTo(uninterrupted.read(h));
      if (h >= SPEC.inputLength() - 1) {
        assertThat(firstStep + h - restarted.storedStep()).as("lag at hour " + h)
            .isBetween(0L, 2L);
      }
    }
    // the state read hour 28; the store holds it as of hour 26
    assertThat(restarted.storedStep()).isEqualTo(firstStep + 26);
    int before = restarted.model.updates.size();

    restarted.start();
    for (int h = 29; h < 40; h++) {
      List<String> expected = uninterrupted.read(h);
      assertThat(expected).hasSize(1);
      assertThat(restarted.read(h)).as("hour " + h).isEqualTo(expected);
    }
    // the first flush after the restart read hours 27..29 from the buffer, not a whole window;
    // each later one reading
    assertThat(restarted.model.updates.size() - before).isEqualTo(3 + 10);
    assertThat(restarted.model.windowCalls).isEmpty();
  }
}

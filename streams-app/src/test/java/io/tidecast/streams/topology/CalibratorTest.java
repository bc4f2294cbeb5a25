package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.ModelId;
import io.tidecast.streams.config.SeriesSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The calibrator's working copy against its stores: a new calibrator over the same stores goes on exactly. */
class CalibratorTest {

  private static final List<String> CHANNELS = List.of("a", "b");
  private static final int HORIZON = 4;
  private static final SeriesSettings SERIES =
      new SeriesSettings("m", CHANNELS, Frequency.HOURLY, 1, Duration.ofHours(2), 2);
  private static final long HOUR = 3_600_000L;

  private record Stores2(KeyValueStore<Bytes, byte[]> issued, KeyValueStore<String, byte[]> accuracy) {}

  private static Stores2 stores() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<Bytes, byte[]> issued = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.ISSUED),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    KeyValueStore<String, byte[]> accuracy = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(StoreNames.ACCURACY), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
    issued.init(context.getStateStoreContext(), issued);
    accuracy.init(context.getStateStoreContext(), accuracy);
    return new Stores2(issued, accuracy);
  }

  /** Runs 80 hours of two series (one reading out of order each ten hours), a new calibrator from {@code restartAt}. */
  private static List<String> run(Stores2 stores, int restartAt) {
    Random random = new Random(5);
    List<String> bounds = new ArrayList<>();
    Calibrator calibrator = new Calibrator(IntervalSettings.DEFAULT, stores.issued(), stores.accuracy());
    SeriesBuffer[] buffers = {new SeriesBuffer(32, 2), new SeriesBuffer(32, 2)};
    for (int t = 0; t < 80; t++) {
      if (t == restartAt) {
        calibrator = new Calibrator(IntervalSettings.DEFAULT, stores.issued(), stores.accuracy());
      }
      for (int s = 0; s < 2; s++) {
        String series = "s" + s;
        long step = t % 10 == 9 ? t - 1 : t; // now and then a step behind, placed where it belongs
        double[] reading = {Math.sin(step / 3.0) * 10 + random.nextGaussian(), 5 + random.nextGaussian()};
        if (!buffers[s].contains(step)) {
          buffers[s].put(step, reading);
          calibrator.observe(series, step, reading, SERIES, buffers[s].newest());
        }
        if (step == t) {
          List<ForecastStep> steps = new ArrayList<>();
          for (int h = 1; h <= HORIZON; h++) {
            steps.add(ForecastStep.point(Instant.ofEpochMilli((t + h) * HOUR), new double[] {Math.sin(t / 3.0) * 10, 5}));
          }
          Forecast issued = calibrator.issue(new Forecast(series, Instant.ofEpochMilli(t * HOUR), new ModelId("m", "1"),
              CHANNELS, steps), t, SERIES, buffers[s]);
          for (ForecastStep out : issued.steps()) {
            bounds.add(series + " " + out.ts() + " " + java.util.Arrays.toString(out.yhat()) + " lower "
                + java.util.Arrays.toString(out.lower()) + " upper " + java.util.Arrays.toString(out.upper()));
          }
        }
      }
    }
    return bounds;
  }

  private static List<String> contents(KeyValueStore<?, byte[]> store) {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<?, byte[]> all = store.all()) {
      all.forEachRemaining(kv -> out.add(kv.key + "=" + java.util.Arrays.toString(kv.value)));
    }
    return out;
  }

  @Test
  void aNewCalibratorOverTheSameStoresGoesOnAsTheOldOneWould() {
    Stores2 through = stores();
    Stores2 restarted = stores();
    List<String> expected = run(through, -1);
    List<String> actual = run(restarted, 37);

    assertThat(actual).isEqualTo(expected);
    assertThat(contents(restarted.accuracy())).isEqualTo(contents(through.accuracy()));
    assertThat(contents(restarted.issued())).isEqualTo(contents(through.issued()));
    // intervals exist and the waiting forecasts are bounded: horizon + grace + the newest
    assertThat(expected.get(expected.size() - 1)).contains("lower");
    assertThat(contents(through.issued())).hasSizeLessThanOrEqualTo(2 * (HORIZON + 2 + 1));
    Calibration c = Calibration.decode(through.accuracy().get("s0"));
    assertThat(c.count(0, 0)).isGreaterThan(60);
  }

  @Test
  void theWaitingRingFindsExpiresAndGrows() {
    Calibrator.Waiting ring = new Calibrator.Waiting();
    for (long step = -10; step < 190; step += 2) { // 100 entries over 200 steps: more than the first ring holds
      ring.put(step, new Calibrator.Issued((int) step + 1000, new int[0], new float[0], new float[0]));
    }
    assertThat(ring.size()).isEqualTo(100);
    assertThat(ring.get(-10).horizon()).isEqualTo(990);
    assertThat(ring.get(-9)).isNull();
    assertThat(ring.get(188).horizon()).isEqualTo(188 + 1000);
    List<Long> removed = new ArrayList<>();
    ring.expire(9, removed::add);
    assertThat(removed).hasSize(10).allMatch(s -> s <= 9);
    assertThat(ring.size()).isEqualTo(90);
    assertThat(ring.get(8)).isNull();
    assertThat(ring.get(10)).isNotNull();
  }
}

package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.config.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Online accuracy and intervals in the topology. The model repeats the window's last reading; the
 * series rises by one per hour in channel a and stays at 5 in b, so every forecast's error of step h
 * is exactly h in a and 0 in b.
 */
class IntervalTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  private static final List<String> CHANNELS = List.of("a", "b");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> readings;
  private TestOutputTopic<String, byte[]> forecasts;

  private void start(int batchSize) {
    SeriesSettings settings = new SeriesSettings("last", CHANNELS, Frequency.HOURLY, 1, Duration.ofHours(3), 2);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "interval-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    RecordingForecaster model = new RecordingForecaster(new ForecasterSpec(4, 2, CHANNELS, CHANNELS, Frequency.HOURLY));
    driver = new TopologyTestDriver(TidecastTopology.build(Topics.DEFAULT, SeriesCatalog.of(settings), name -> model,
        new BatchSettings(batchSize, Duration.ofSeconds(1)), IntervalSettings.DEFAULT, TopologyEvents.NONE), props);
    readings = driver.createInputTopic(Topics.DEFAULT.readings(), new ByteArraySerializer(), new ByteArraySerializer());
    forecasts = driver.createOutputTopic(Topics.DEFAULT.forecasts(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void send(int hour) {
    String json = "{\"series\":\"s\",\"ts\":\"" + T0.plusSeconds(3600L * hour) + "\",\"values\":{\"a\":" + hour
        + ",\"b\":5}}";
    readings.pipeInput("s".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private Calibration calibration() {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.ACCURACY);
    return Calibration.decode(store.get("s"));
  }

  @Test
  void everyForecastStepIsScoredOnceWhicheverComesFirstForecastOrReading() {
    double[][] scores = new double[2][];
    for (int run = 0; run < 2; run++) {
      start(run == 0 ? 1 : 1_000); // flush at once, or one flush for everything at the end
      for (int hour = 0; hour < 30; hour++) {
        send(hour);
      }
      send(29); // a duplicate is scored once
      driver.advanceWallClockTime(Duration.ofSeconds(2));
      Calibration c = calibration();
      // forecasts at hours 3..29; step 1 scored for those issued at 3..28, step 2 at 3..27
      assertThat(c.count(0, 0)).isEqualTo(26);
      assertThat(c.count(1, 0)).isEqualTo(25);
      assertThat(c.mae(0, 0)).isCloseTo(1, within(1e-6));
      assertThat(c.mse(1, 0)).isCloseTo(4, within(1e-5));
      assertThat(c.mae(0, 1)).isZero();
      assertThat(forecasts.readRecordsToList()).hasSize(27);
      // the widths differ (a forecast issued later knows more errors), the scores do not
      scores[run] = new double[] {c.mae(0, 0), c.mae(1, 0), c.mse(0, 0), c.mse(1, 0), c.count(0, 1), c.count(1, 1)};
      driver.close();
    }
    assertThat(scores[1]).containsExactly(scores[0]);
  }

  @Test
  void forecastsCarryBoundsOnceTheirStepHasBeenScored() throws Exception {
    start(1);
    for (int hour = 0; hour < 5; hour++) {
      send(hour);
    }
    List<JsonNode> out = forecasts.readValuesToList().stream().map(JSON::readTree).toList();
    assertThat(out).hasSize(2);
    // the first forecast (hour 3) knows no errors yet
    assertThat(out.get(0).path("steps").get(0).has("lower")).isFalse();
    // the second (hour 4): step 1 was scored once (error 1 in a, 0 in b), step 2 not yet
    JsonNode step1 = out.get(1).path("steps").get(0);
    assertThat(step1.path("yhat").path("a").asDouble()).isEqualTo(4);
    assertThat(step1.path("lower").path("a").asDouble()).isCloseTo(4 - 1.644854, within(1e-4));
    assertThat(step1.path("upper").path("a").asDouble()).isCloseTo(4 + 1.644854, within(1e-4));
    assertThat(step1.path("lower").path("b").asDouble()).isEqualTo(5);
    assertThat(out.get(1).path("steps").get(1).has("lower")).isFalse();

    JsonNode accuracy = JSON.readTree(StoreViews.accuracyJson("s",
        driver.<String, byte[]>getKeyValueStore(StoreNames.ACCURACY).get("s"), IntervalSettings.DEFAULT));
    assertThat(accuracy.path("coverageTarget").asDouble()).isEqualTo(0.9);
    assertThat(accuracy.path("steps").get(0).path("count").path("a").asInt()).isEqualTo(1);
    assertThat(accuracy.path("steps").get(0).path("mae").path("a").asDouble()).isEqualTo(1);
    assertThat(accuracy.path("steps").get(1).path("mae").path("a").isNull()).isTrue();
    driver.close();
  }

  @Test
  void forecastsNoReadingCanReachAreForgotten() {
    start(1);
    for (int hour = 0; hour < 40; hour++) {
      send(hour);
    }
    KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> issued = driver.getKeyValueStore(StoreNames.ISSUED);
    long waiting = 0;
    try (var all = issued.all()) {
      while (all.hasNext()) {
        all.next();
        waiting++;
      }
    }
    // horizon 2 + grace 3 + the newest: at most 6 forecasts can still be scored
    assertThat(waiting).isBetween(1L, 6L);
    driver.close();
  }
}

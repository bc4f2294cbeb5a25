package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.config.Topics;
import io.tidecast.streams.message.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TidecastTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  private static final List<String> CHANNELS = List.of("a", "b");
  private static final ForecasterSpec SPEC =
      new ForecasterSpec(4, 2, CHANNELS, CHANNELS, Frequency.HOURLY);

  private RecordingForecaster model;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> readings;
  private TestOutputTopic<String, byte[]> forecasts;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(1, 100);
  }

  private void start(int hop, int batchSize) {
    if (driver != null) {
      driver.close();
    }
    model = new RecordingForecaster(SPEC);
    SeriesSettings settings = new SeriesSettings("last", CHANNELS, Frequency.HOURLY, hop, Duration.ofHours(3), 2);
    SeriesCatalog catalog = new SeriesCatalog(settings,
        Map.of("solo", new SeriesSettings("last", CHANNELS, Frequency.HOURLY, 1, Duration.ZERO, 2)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(TidecastTopology.build(Topics.DEFAULT, catalog, name -> model,
        new BatchSettings(batchSize, Duration.ofSeconds(1))), props);
    readings = driver.createInputTopic(Topics.DEFAULT.readings(), new ByteArraySerializer(), new ByteArraySerializer());
    forecasts = driver.createOutputTopic(Topics.DEFAULT.forecasts(), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters = driver.createOutputTopic(Topics.DEFAULT.deadLetters(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void everyKindOfBadRecordIsDeadLetteredWithItsCodeAndNothingStops() {
    String big = "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"value\":\"" + "x".repeat(70_000) + "\"}";
    Object[][] cases = {
        {"s1", "{\"series\":\"s1\",", Rejection.MALFORMED_JSON},
        {"s1", "", Rejection.MALFORMED_JSON},
        {"s1", "[1,2]", Rejection.MALFORMED_JSON},
        {"s1", big, Rejection.TOO_LARGE},
        {null, reading("s1", "2026-11-28T00:00:00Z", 1, 2), Rejection.MISSING_KEY},
        {"s2", reading("s1", "2026-11-28T00:00:00Z", 1, 2), Rejection.KEY_MISMATCH},
        {"s1", "{\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":1,\"b\":2}}", Rejection.MISSING_FIELD},
        {"s1", "{\"series\":\"s1\",\"values\":{\"a\":1,\"b\":2}}", Rejection.MISSING_FIELD},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\"}", Rejection.MISSING_FIELD},
        {"s1", "{\"series\":7,\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":1,\"b\":2}}", Rejection.WRONG_TYPE},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":\"1\",\"b\":2}}", Rejection.WRONG_TYPE},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"values\":[1,2]}", Rejection.WRONG_TYPE},
        {"s1", "{\"series\":\"s1\",\"ts\":\"yesterday\",\"values\":{\"a\":1,\"b\":2}}", Rejection.BAD_TIMESTAMP},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00\",\"values\":{\"a\":1,\"b\":2}}", Rejection.BAD_TIMESTAMP},
        {"s1", "{\"series\":\"s1\",\"ts\":true,\"values\":{\"a\":1,\"b\":2}}", Rejection.BAD_TIMESTAMP},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":1e400,\"b\":2}}", Rejection.NON_FINITE_VALUE},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":1,\"c\":2}}", Rejection.UNKNOWN_CHANNEL},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"values\":{\"a\":1}}", Rejection.WRONG_CHANNEL_COUNT},
        {"s1", "{\"series\":\"s1\",\"ts\":\"2026-11-28T00:00:00Z\",\"value\":1}", Rejection.WRONG_CHANNEL_COUNT},
    };
    for (Object[] c : cases) {
      readings.pipeInput(bytes((String) c[0]), bytes((String) c[1]));
    }
    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();

    assertThat(dead).hasSize(cases.length);
    for (int i = 0; i < cases.length; i++) {
      TestRecord<byte[], byte[]> letter = dead.get(i);
      assertThat(header(letter, Rejection.CODE_HEADER)).as("case %d: %s", i, cases[i][1]).isEqualTo(cases[i][2]);
      assertThat(header(letter, Rejection.DETAIL_HEADER)).isNotBlank();
      assertThat(letter.value()).as("original bytes kept").isEqualTo(bytes((String) cases[i][1]));
      assertThat(letter.key()).isEqualTo(bytes((String) cases[i][0]));
    }
    // The stream goes on: valid readings after all that still make forecasts.
    for (int h = 0; h < 4; h++) {
      send("s1", h, h, 10 * h);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(forecasts.readRecordsToList()).hasSize(1);
  }

  @Test
  void readingsTooFarBehindTheNewestAreLate() {
    send("s1", 10, 1, 1);
    send("s1", 7, 1, 1); // 3 h behind: within grace
    send("s1", 6, 1, 1); // 4 h behind: late
    send("solo", 5, 1, 1);
    send("solo", 4, 1, 1); // grace 0

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).extracting(r -> header(r, Rejection.CODE_HEADER)).containsExactly("late", "late");
    assertThat(header(dead.get(0), Rejection.DETAIL_HEADER)).contains("more than PT3H behind");
  }

  @Test
  void outOfOrderReadingsWithinGraceArePlacedInOrder() {
    send("s1", 0, 0, 0);
    send("s1", 2, 2, 20);
    send("s1", 1, 1, 10); // late but within grace: fills its step, triggers nothing
    send("s1", 3, 3, 30);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<SeriesWindow> windows = model.windows();
    assertThat(windows).hasSize(1);
    assertThat(windows.get(0).values()).isDeepEqualTo(new double[][] {{0, 0}, {1, 10}, {2, 20}, {3, 30}});
    assertThat(windows.get(0).end()).isEqualTo(T0.plusSeconds(3 * 3600));
  }

  @Test
  void aDuplicateReplacesTheEarlierReadingAndCountsOnce() {
    for (int h = 0; h < 4; h++) {
      send("s1", h, h, h);
    }
    send("s1", 3, 99, 99); // same step again: replaces, no second forecast
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    send("s1", 4, 4, 4);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<SeriesWindow> windows = model.windows();
    assertThat(windows).hasSize(2);
    assertThat(windows.get(0).values()[3]).containsExactly(99, 99);
    assertThat(windows.get(1).values()[2]).containsExactly(99, 99);
    assertThat(forecasts.readRecordsToList()).hasSize(2);
  }

  @Test
  void shortGapsAreInterpolatedAndLongGapsSkipForecastsUntilTheWindowIsWhole() {
    send("s1", 0, 0, 0);
    send("s1", 3, 3, 30); // steps 1 and 2 missing: a gap of 2, interpolated
    send("s1", 4, 4, 40);
    send("s1", 8, 8, 80); // steps 5-7 missing: 3 > maxInterpolated, skipped
    send("s1", 9, 9, 90);
    send("s1", 10, 10, 100);
    send("s1", 11, 11, 110); // window 8..11 is whole again
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<SeriesWindow> windows = model.windows();
    assertThat(windows).extracting(SeriesWindow::end).containsExactly(
        T0.plusSeconds(3 * 3600), T0.plusSeconds(4 * 3600), T0.plusSeconds(11 * 3600));
    assertThat(windows.get(0).values()).isDeepEqualTo(new double[][] {{0, 0}, {1, 10}, {2, 20}, {3, 30}});
  }

  @Test
  void aSeriesIsDueEveryHopReadings() {
    start(3, 100);
    for (int h = 0; h < 12; h++) {
      send("s1", h, h, h);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // Due at the 3rd, 6th, 9th and 12th reading; the first window is not full yet.
    assertThat(model.windows()).extracting(SeriesWindow::end)
        .containsExactly(T0.plusSeconds(5 * 3600), T0.plusSeconds(8 * 3600), T0.plusSeconds(11 * 3600));
  }

  @Test
  void thePunctuatorServesManySeriesWithOneModelCall() {
    for (int h = 0; h < 3; h++) {
      for (int s = 0; s < 50; s++) {
        send("s" + s, h, s, h);
      }
    }
    assertThat(model.calls).isEmpty();
    for (int s = 0; s < 50; s++) {
      send("s" + s, 3, s, 3);
    }
    assertThat(model.calls).as("nothing runs before the punctuator").isEmpty();

    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(model.calls).hasSize(1);
    assertThat(model.calls.get(0)).hasSize(50);
    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    assertThat(out).hasSize(50);
    assertThat(new String(out.get(7).value(), StandardCharsets.UTF_8))
        .startsWith("{\"series\":\"s7\",\"issuedAt\":\"2026-11-28T03:00:00Z\",\"model\":{\"name\":\"last\"")
        .contains("\"steps\":[{\"ts\":\"2026-11-28T04:00:00Z\",\"yhat\":{\"a\":7.0,\"b\":3.0}}");
    assertThat(out.get(7).key()).isEqualTo("s7");
    assertThat(out.get(7).timestamp()).isEqualTo(T0.plusSeconds(3 * 3600).toEpochMilli());
  }

  @Test
  void aFullBatchRunsWithoutWaitingForThePunctuator() {
    start(1, 10);
    for (int h = 0; h < 4; h++) {
      for (int s = 0; s < 10; s++) {
        send("s" + s, h, s, h);
      }
    }
    assertThat(model.calls).hasSize(1);
    assertThat(model.calls.get(0)).hasSize(10);
  }

  @Test
  void theLatestForecastStoreKeepsTheNewestForecastOfEachSeries() {
    for (int h = 0; h < 6; h++) {
      send("s1", h, h, h);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    byte[] stored = driver.<String, byte[]>getKeyValueStore(StoreNames.LATEST_FORECAST).get("s1");
    assertThat(new String(LatestForecast.json(stored), StandardCharsets.UTF_8))
        .contains("\"issuedAt\":\"2026-11-28T05:00:00Z\"");
    assertThat(forecasts.readRecordsToList()).hasSize(3);
  }

  @Test
  void refusesToBuildWhenAConfiguredSeriesDoesNotMatchItsModelsChannels() {
    SeriesSettings defaults = new SeriesSettings("last", CHANNELS, Frequency.HOURLY, 1, Duration.ZERO, 2);
    SeriesCatalog catalog = new SeriesCatalog(defaults,
        Map.of("pump", new SeriesSettings("last", List.of("flow"), Frequency.HOURLY, 1, Duration.ZERO, 2)));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TidecastTopology.build(Topics.DEFAULT, catalog,
        name -> model, BatchSettings.DEFAULT)).hasMessageContaining("series pump has channels [flow]");
  }

  /**
   * Readings of one series far faster than batches flush (a replay): the buffer holds 71 steps, the
   * batch takes 10,000, and no wall-clock time passes until the end; still every forecast is made,
   * each from its own window.
   */
  @Test
  void readingsOfOneSeriesOutrunningTheBatchesLoseNoForecast() {
    start(1, 10_000);
    for (int hour = 0; hour < 400; hour++) {
      send("s1", hour, hour, 1);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(forecasts.readRecordsToList()).hasSize(397);
    // each window ends at its forecast's step: the last-value model forecasts the hour itself
    assertThat(model.windows()).hasSize(397).allSatisfy(w ->
        assertThat(w.value(w.length() - 1, 0)).isEqualTo(w.end().getEpochSecond() / 3600.0 - T0.getEpochSecond() / 3600.0));
  }

  private void send(String series, int hour, double a, double b) {
    readings.pipeInput(bytes(series),
        bytes(reading(series, T0.plusSeconds(hour * 3600L).toString(), a, b)));
  }

  private static String reading(String series, String ts, double a, double b) {
    return "{\"series\":\"" + series + "\",\"ts\":\"" + ts + "\",\"values\":{\"a\":" + a + ",\"b\":" + b + "}}";
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}

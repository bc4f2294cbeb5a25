package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.config.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A model with recurrent state keeps it per series in the store and reads each reading once. */
class RecurrentTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  private static final List<String> CHANNELS = List.of("a", "b");
  private static final ForecasterSpec SPEC =
      new ForecasterSpec(4, 2, CHANNELS, CHANNELS, Frequency.HOURLY);
  private static final Pattern MEAN = Pattern.compile("\"yhat\":\\{\"a\":([-0-9.E]+),\"b\":([-0-9.E]+)\\}");

  private Forecaster served;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> readings;
  private TestOutputTopic<String, byte[]> forecasts;

  private void start(StreamingMean model, int hop) {
    served = model;
    SeriesSettings settings = new SeriesSettings("mean", CHANNELS, Frequency.HOURLY, hop,
        Duration.ofHours(3), 2);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "recurrent-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(TidecastTopology.build(Topics.DEFAULT,
        new SeriesCatalog(settings, Map.of()), name -> served,
        new BatchSettings(1000, Duration.ofSeconds(1))), props);
    readings = driver.createInputTopic(Topics.DEFAULT.readings(), new ByteArraySerializer(),
        new ByteArraySerializer());
    forecasts = driver.createOutputTopic(Topics.DEFAULT.forecasts(), new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void eachReadingIsReadOnceInBatchesAcrossSeriesAndForecastsEqualTheWindowModel() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 1);
    for (int h = 0; h < 10; h++) {
      for (int s = 0; s < 3; s++) {
        send("s" + s, h, h + 10 * s, -h);
      }
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    assertThat(out).hasSize(3 * 7); // due from the 4th reading on
    for (TestRecord<String, byte[]> record : out) {
      int s = Integer.parseInt(record.key().substring(1));
      int h = (int) Duration.between(T0, Instant.ofEpochMilli(record.timestamp())).toHours();
      double[] mean = mean(record);
      assertThat(mean[0]).as(record.key() + " at " + h).isEqualTo(h - 1.5 + 10 * s);
      assertThat(mean[1]).isEqualTo(-(h - 1.5));
    }
    // the first forecast reads its whole window; afterwards one reading per series per flush,
    // all series in one update
    assertThat(model.updates).containsExactly(3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
    assertThat(model.windowCalls).isEmpty();
    byte[] stored = driver.<String, byte[]>getKeyValueStore(StoreNames.RECURRENT_STATE).get("s1");
    assertThat(RecurrentStates.decode(stored).step())
        .isEqualTo(T0.plusSeconds(9 * 3600).toEpochMilli() / 3_600_000);
    assertThat(RecurrentStates.decode(stored).model()).isEqualTo("mean:1");
  }

  @Test
  void everyHopReadingsTheStateCatchesUpInOneFlush() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 3);
    for (int h = 0; h < 12; h++) {
      send("s1", h, h, h);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    assertThat(out).extracting(TestRecord::timestamp).containsExactly(
        T0.plusSeconds(5 * 3600).toEpochMilli(), T0.plusSeconds(8 * 3600).toEpochMilli(),
        T0.plusSeconds(11 * 3600).toEpochMilli());
    assertThat(mean(out.get(2))[0]).isEqualTo(9.5);
    // readings 2..11 once each: the first due reads the window 2..5, the next ones 6..11
    assertThat(model.updates.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
  }

  @Test
  void aReadingArrivingOutOfOrderRestartsTheStateFromTheWindow() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 1);
    for (int h = 0; h < 8; h++) {
      if (h != 6) {
        send("s1", h, h, 0);
      }
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }
    // hour 6 was interpolated (6.0) when hour 7 came; now it arrives late with another value
    send("s1", 6, 100, 0);
    send("s1", 8, 8, 0);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    assertThat(mean(out.get(out.size() - 1))[0]).as("window 5..8 with the late reading")
        .isEqualTo((5 + 100 + 7 + 8) / 4.0);
  }

  @Test
  void anotherModelVersionStartsItsOwnStateFromTheWindow() {
    StreamingMean first = new StreamingMean(SPEC, "1");
    start(first, 1);
    for (int h = 0; h < 6; h++) {
      send("s1", h, h, h);
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }
    StreamingMean second = new StreamingMean(SPEC, "2");
    served = second;
    send("s1", 6, 6, 6);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    String last = new String(out.get(out.size() - 1).value(), StandardCharsets.UTF_8);
    assertThat(last).contains("\"version\":\"2\"");
    assertThat(mean(out.get(out.size() - 1))[0]).isEqualTo(4.5);
    assertThat(second.updates).containsExactly(1, 1, 1, 1);
  }

  @Test
  void aSeriesTheModelRefusesCostsOnlyItsOwnForecast() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 1);
    for (int h = 0; h < 6; h++) {
      send("s1", h, h, 0);
      send("s2", h, h == 5 ? StreamingMean.REFUSED : h, 0);
      send("s3", h, 2 * h, 0);
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    // hours 3, 4 and 5 for s1 and s3 (all in the batch that s2's refused reading fails); s2 for
    // 3 and 4
    assertThat(out).extracting(TestRecord::key)
        .containsExactlyInAnyOrder("s1", "s1", "s1", "s3", "s3", "s3", "s2", "s2");
    assertThat(driver.<String, byte[]>getKeyValueStore(StoreNames.RECURRENT_STATE).get("s2"))
        .as("the refused series keeps no state").isNull();
  }

  @Test
  void aStoredStateTheModelCannotReadIsRebuiltFromTheWindow() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 1);
    for (int h = 0; h < 5; h++) {
      send("s1", h, h, 0);
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }
    var store = driver.<String, byte[]>getKeyValueStore(StoreNames.RECURRENT_STATE);
    RecurrentStates stored = RecurrentStates.decode(store.get("s1"));
    store.put("s1", new RecurrentStates(stored.model(), stored.step(), new byte[3]).encode());
    send("s1", 5, 5, 0);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<TestRecord<String, byte[]>> out = forecasts.readRecordsToList();
    assertThat(mean(out.get(out.size() - 1))[0]).isEqualTo(3.5);
    assertThat(model.updates.subList(model.updates.size() - 4, model.updates.size()))
        .as("the window read again").containsExactly(1, 1, 1, 1);
  }

  @Test
  void aRepeatedIdenticalReadingKeepsTheState() {
    StreamingMean model = new StreamingMean(SPEC, "1");
    start(model, 1);
    for (int h = 0; h < 5; h++) {
      send("s1", h, h, 0);
      driver.advanceWallClockTime(Duration.ofSeconds(2));
    }
    send("s1", 4, 4, 0); // sent again, the same values
    send("s1", 5, 5, 0);
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // the window at hour 3 (four updates), then one update each for hours 4 and 5
    assertThat(model.updates).as("the state resumed").hasSize(4 + 1 + 1);
  }

  private static double[] mean(TestRecord<String, byte[]> record) {
    Matcher m = MEAN.matcher(new String(record.value(), StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
  }

  private void send(String series, int hour, double a, double b) {
    String json = "{\"series\":\"" + series + "\",\"ts\":\"" + T0.plusSeconds(hour * 3600L)
        + "\",\"values\":{\"a\":" + a + ",\"b\":" + b + "}}";
    readings.pipeInput(series.getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));
  }
}

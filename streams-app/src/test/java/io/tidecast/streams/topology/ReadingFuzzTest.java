package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.config.Topics;
import io.tidecast.streams.message.ReadingParser;
import io.tidecast.streams.message.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random mutations of valid readings: truncated bytes, wrong types, huge numbers, NaN, empty
 * records, deep nesting, 1 MB values, flipped bytes. None may crash or stall the stream; each is
 * either accepted or dead-lettered with a code.
 */
class ReadingFuzzTest {

  private static final List<String> CHANNELS = List.of("a", "b");
  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

  @Test
  void tenThousandMutationsAreEachProcessedOrDeadLettered() {
    SeriesSettings settings = new SeriesSettings("last", CHANNELS, Frequency.HOURLY, 1, Duration.ofDays(10_000), 2);
    SeriesCatalog catalog = SeriesCatalog.of(settings);
    RecordingForecaster model = new RecordingForecaster(new ForecasterSpec(4, 2, CHANNELS, CHANNELS, Frequency.HOURLY));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ReadingParser parser = new ReadingParser(catalog);
    Random random = new Random(20261128);
    int mutations = 10_000;
    int refusedByParser = 0;
    try (TopologyTestDriver driver = new TopologyTestDriver(
        TidecastTopology.build(Topics.DEFAULT, catalog, name -> model, new BatchSettings(64, Duration.ofMillis(10))),
        props)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(Topics.DEFAULT.readings(),
          new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic(Topics.DEFAULT.deadLetters(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      TestOutputTopic<String, byte[]> forecasts = driver.createOutputTopic(Topics.DEFAULT.forecasts(),
          new StringDeserializer(), new ByteArrayDeserializer());
      for (int i = 0; i < mutations; i++) {
        String series = "s" + random.nextInt(20);
        byte[] key = series.getBytes(StandardCharsets.UTF_8);
        byte[] value = mutate(valid(series, i), random);
        if (parser.parse(key, value) instanceof ReadingParser.Refused) {
          refusedByParser++;
        }
        in.pipeInput(key, value);
        if (i % 500 == 0) {
          driver.advanceWallClockTime(Duration.ofMillis(20));
        }
      }
      List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
      long lateOrParsed = letters.stream().filter(r -> code(r) != null).count();
      assertThat(lateOrParsed).as("every dead letter carries a code").isEqualTo(letters.size());
      long notLate = letters.stream().filter(r -> !Rejection.LATE.equals(code(r))).count();
      assertThat(notLate).as("dead letters other than late = records the parser refuses").isEqualTo(refusedByParser);
      assertThat(refusedByParser).as("the mutations hit the refusal paths").isGreaterThan(mutations / 4);
      assertThat(mutations - refusedByParser).as("and left many readings valid").isGreaterThan(mutations / 10);

      // Not stalled: a clean series afterwards still gets its forecasts.
      forecasts.readRecordsToList();
      for (int h = 0; h < 4; h++) {
        in.pipeInput("clean".getBytes(StandardCharsets.UTF_8), reading("clean", T0.plusSeconds(3600L * h), h, h));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      assertThat(forecasts.readRecordsToList()).extracting(TestRecord::key).contains("clean");
    }
  }

  private static String code(TestRecord<byte[], byte[]> record) {
    var header = record.headers().lastHeader(Rejection.CODE_HEADER);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] valid(String series, int i) {
    return reading(series, T0.plusSeconds(3600L * i), i % 17, -i * 0.5);
  }

  private static byte[] reading(String series, Instant ts, double a, double b) {
    return ("{\"series\":\"" + series + "\",\"ts\":\"" + ts + "\",\"values\":{\"a\":" + a + ",\"b\":" + b + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] mutate(byte[] valid, Random random) {
    String text = new String(valid, StandardCharsets.UTF_8);
    return switch (random.nextInt(14)) {
      case 0 -> Arrays.copyOf(valid, random.nextInt(valid.length)); // truncated
      case 1 -> new byte[0];
      case 2 -> text.replaceFirst("\"a\":[^,]+", "\"a\":\"" + random.nextInt() + "\"").getBytes(StandardCharsets.UTF_8);
      case 3 -> text.replaceFirst("\"a\":[^,]+", "\"a\":1e" + (300 + random.nextInt(700))).getBytes(StandardCharsets.UTF_8);
      case 4 -> text.replaceFirst("\"a\":[^,]+", "\"a\":NaN").getBytes(StandardCharsets.UTF_8);
      case 5 -> ("[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(10))).getBytes(StandardCharsets.UTF_8);
      // 1 MB values now and then (each is refused by size before parsing), 10 kB ones otherwise
      case 6 -> text.replaceFirst("\"a\":[^,]+", "\"a\":\"" + "9".repeat(random.nextInt(20) == 0 ? 1 << 20 : 10_000)
          + "\"").getBytes(StandardCharsets.UTF_8);
      case 7 -> flipBytes(valid, random);
      case 8 -> text.replace("\"ts\"", "\"time\"").getBytes(StandardCharsets.UTF_8);
      case 9 -> text.replaceFirst("\"values\":\\{", "\"values\":{\"c\":1,").getBytes(StandardCharsets.UTF_8);
      case 10 -> text.replaceFirst("\"a\":[^,]+", "\"a\":" + "1".repeat(100 + random.nextInt(300))).getBytes(StandardCharsets.UTF_8);
      case 11 -> text.replaceFirst("\"values\":\\{", "\"values\":{\"a\":{\"b\":{\"c\":[1,[2,[3]]]}},").getBytes(StandardCharsets.UTF_8);
      case 12 -> text.replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
      default -> valid;
    };
  }

  private static byte[] flipBytes(byte[] valid, Random random) {
    byte[] copy = valid.clone();
    for (int k = 0; k < 1 + random.nextInt(4); k++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}

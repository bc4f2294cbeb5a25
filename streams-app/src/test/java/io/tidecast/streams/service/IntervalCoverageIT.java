package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.CsvSeries;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.WithEmbeddedBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.message.ReadingJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 90% intervals on a replay of ETTh1 through the service (real broker, the topology): the
 * linear baseline trained on the train split (12 months), the validation split (4 months) replayed
 * first as warm-up, then the test split (4 months). For every horizon step, the share of test
 * actuals (all 7 channels) inside the intervals issued with the forecasts is between 87% and 93%.
 */
@Tag("integration")
class IntervalCoverageIT extends WithEmbeddedBroker {

  static final int TRAIN = 12 * 30 * 24;
  static final int VALIDATION = 4 * 30 * 24;
  static final int TEST = 4 * 30 * 24;
  static final int INPUT = 96;
  static final int HORIZON = 24;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void ninetyPercentIntervalsCoverEightySevenToNinetyThreePercentOfTestActualsAtEveryStep() throws Exception {
    Path csv = Path.of(System.getProperty("tidecast.data.dir", "../../shared/data")).resolve("ETTh1.csv");
    assertThat(Files.exists(csv)).as("the shared data beside the project: " + csv).isTrue();
    TimeSeries data = CsvSeries.read(csv);
    Forecaster model = ModelKinds.load().train("linear-ar", data.slice(0, TRAIN), null,
        new ModelSettings("etth1-linear", INPUT, HORIZON, List.of(), Map.of()));

    Properties p = new Properties();
    p.setProperty("tidecast.bootstrap-servers", broker.bootstrapServers());
    p.setProperty("tidecast.data-dir", dir.resolve("coverage").toString());
    p.setProperty("tidecast.instance-id", "coverage-1");
    p.setProperty("tidecast.query.port", "0");
    p.setProperty("tidecast.model.kind", "etth1-linear");
    p.setProperty("tidecast.series.channels", String.join(",", data.channels()));
    ServiceConfig config = ServiceConfig.from(p);

    int from = TRAIN;
    int to = TRAIN + VALIDATION + TEST;
    Map<Instant, double[]> actual = new HashMap<>();
    try (StreamsService service = StreamsService.start(config, name -> model);
        KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
      byte[] key = "etth1".getBytes(StandardCharsets.UTF_8);
      for (int t = from; t < to; t++) {
        Instant ts = data.timestamps()[t];
        actual.put(ts, data.values()[t]);
        producer.send(new ProducerRecord<>(config.topics().readings(), key,
            ReadingJson.write("etth1", ts, data.channels(), data.values()[t])));
      }
      producer.flush();
      long sent = System.nanoTime();
      int expected = to - from - INPUT + 1;
      List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(broker.bootstrapServers(),
          config.topics().forecasts(), r -> r.size() >= expected, Duration.ofSeconds(180), Duration.ofSeconds(1));
      System.out.printf("replay: %d forecasts read back %.1f s after the last reading was sent%n", forecasts.size(),
          (System.nanoTime() - sent) / 1e9);
      assertThat(forecasts).hasSize(expected);

      Instant testStart = data.timestamps()[TRAIN + VALIDATION];
      long[] inside = new long[HORIZON];
      long[] total = new long[HORIZON];
      double[] width = new double[HORIZON];
      for (ConsumerRecord<byte[], byte[]> record : forecasts) {
        JsonNode f = JSON.readTree(record.value());
        if (Instant.parse(f.path("issuedAt").asString()).isBefore(testStart)) {
          continue; // warm-up on the validation split
        }
        JsonNode steps = f.path("steps");
        for (int h = 0; h < HORIZON; h++) {
          JsonNode step = steps.get(h);
          double[] truth = actual.get(Instant.parse(step.path("ts").asString()));
          if (truth == null) {
            continue; // beyond the end of the data
          }
          assertThat(step.has("lower")).as("forecast at %s step %d has bounds", f.path("issuedAt"), h + 1).isTrue();
          for (int c = 0; c < data.channels().size(); c++) {
            String channel = data.channels().get(c);
            double lower = step.path("lower").path(channel).asDouble();
            double upper = step.path("upper").path(channel).asDouble();
            total[h]++;
            inside[h] += truth[c] >= lower && truth[c] <= upper ? 1 : 0;
            width[h] += upper - lower;
          }
        }
      }
      StringBuilder table = new StringBuilder("interval coverage on the ETTh1 test split (90% target)\nstep  coverage  mean width  values\n");
      for (int h = 0; h < HORIZON; h++) {
        table.append(String.format("%4d  %7.2f%%  %10.3f  %6d%n", h + 1, 100.0 * inside[h] / total[h],
            width[h] / total[h], total[h]));
      }
      System.out.print(table);
      for (int h = 0; h < HORIZON; h++) {
        assertThat((double) inside[h] / total[h]).as("coverage of step %d", h + 1).isBetween(0.87, 0.93);
      }
    }
  }
}

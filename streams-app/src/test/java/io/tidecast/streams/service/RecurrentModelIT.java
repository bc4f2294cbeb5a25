package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.countByKeyAndTime;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.StreamingForecaster;
import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.WithEmbeddedBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.topology.ModelRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The LMUFormer, found through the model SPI and trained at start, serves through the real broker
 * one reading at a time from its stored state; every forecast equals the window model's.
 */
@Tag("integration")
class RecurrentModelIT extends WithEmbeddedBroker {

  private static final Fleet FLEET = FleetModels.FLEET;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theLmuFormerForecastsEveryReadingFromItsStateAsFromTheWindow() {
    Properties p = new Properties();
    p.setProperty("tidecast.bootstrap-servers", broker.bootstrapServers());
    p.setProperty("tidecast.data-dir", dir.resolve("app").toString());
    p.setProperty("tidecast.instance-id", "lmu-1");
    p.setProperty("tidecast.query.port", "0");
    p.setProperty("tidecast.model.kind", "lmuformer");
    p.setProperty("tidecast.model.input", "24");
    p.setProperty("tidecast.model.horizon", "12");
    p.setProperty("tidecast.model.option.d-model", "16");
    p.setProperty("tidecast.model.option.order", "8");
    p.setProperty("tidecast.model.option.epochs", "1");
    p.setProperty("tidecast.model.option.max-steps", "10");
    ServiceConfig config = ServiceConfig.from(p);
    ModelRouter router = FleetModels.train(config);
    Forecaster model = router.forModel("lmuformer");
    assertThat(model).isInstanceOf(StreamingForecaster.class);
    int sensors = 8;
    int steps = 40;
    long first = FleetModels.TRAINING_ROWS;
    try (StreamsService service = StreamsService.start(config, router);
        KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
      for (int t = 0; t < steps; t++) {
        for (int s = 0; s < sensors; s++) {
          producer.send(new ProducerRecord<>(config.topics().readings(), key(s),
              reading(FLEET, s, first + t)));
        }
      }
      producer.flush();
      int expected = sensors * (steps - 24 + 1);
      List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(broker.bootstrapServers(),
          config.topics().forecasts(), r -> r.size() >= expected, Duration.ofSeconds(90),
          Duration.ofSeconds(2));

      assertThat(forecasts).hasSize(expected);
      assertThat(countByKeyAndTime(forecasts).values()).containsOnly(1);
      double largest = 0;
      for (ConsumerRecord<byte[], byte[]> record : forecasts) {
        JsonNode json = JSON.readTree(record.value());
        int sensor = Integer.parseInt(json.get("series").asString().replace("sensor-", ""));
        Instant issued = Instant.parse(json.get("issuedAt").asString());
        long end = first + Duration.between(FLEET.time(first), issued).toHours();
        Forecast windowed = model.forecast(List.of(window(sensor, end))).get(0);
        JsonNode steps0 = json.get("steps");
        assertThat(steps0.size()).isEqualTo(12);
        for (int h = 0; h < 12; h += 11) {
          for (int c = 0; c < Fleet.CHANNELS.size(); c++) {
            double expectedValue = windowed.steps().get(h).yhat()[c];
            double streamed = steps0.get(h).get("yhat").get(Fleet.CHANNELS.get(c)).asDouble();
            assertThat(streamed).as("%s at %s, step %d, %s", json.get("series"), issued, h,
                Fleet.CHANNELS.get(c)).isCloseTo(expectedValue,
                within(1e-4 * Math.max(1, Math.abs(expectedValue))));
            largest = Math.max(largest, Math.abs(expectedValue));
          }
        }
        assertThat(json.get("model").get("name").asString()).isEqualTo("lmuformer");
      }
      assertThat(largest).isGreaterThan(0.1);
    }
  }

  private static SeriesWindow window(int sensor, long end) {
    Instant[] times = new Instant[24];
    double[][] values = new double[24][];
    for (int i = 0; i < 24; i++) {
      long step = end - 23 + i;
      times[i] = FLEET.time(step);
      values[i] = FLEET.values(sensor, step);
    }
    return SeriesWindow.complete(Fleet.sensorId(sensor), Fleet.CHANNELS, times, values);
  }
}

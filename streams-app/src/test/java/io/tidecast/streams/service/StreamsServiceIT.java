package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.config;
import static io.tidecast.streams.KafkaTestSupport.countByKeyAndTime;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.WithEmbeddedBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.message.Rejection;
import io.tidecast.streams.sim.Fleet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** From a producer through the real broker and the topology to the forecasts and dead-letter topics. */
@Tag("integration")
class StreamsServiceIT extends WithEmbeddedBroker {

  private static final Fleet FLEET = FleetModels.FLEET;
  @Test
  void readingsBecomeForecastsAndBadRecordsBecomeDeadLetters() {
    ServiceConfig config = config(broker.bootstrapServers(), dir.resolve("app"), "it-1", 0);
    int sensors = 20;
    int steps = 50;
    try (StreamsService service = StreamsService.start(config, FleetModels.train(config));
        KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
      for (int t = 0; t < steps; t++) {
        for (int s = 0; s < sensors; s++) {
          producer.send(new ProducerRecord<>(config.topics().readings(), key(s), reading(FLEET, s, FleetModels.TRAINING_ROWS + t)));
        }
      }
      producer.send(new ProducerRecord<>(config.topics().readings(), key(0), "{oops".getBytes(StandardCharsets.UTF_8)));
      producer.send(new ProducerRecord<>(config.topics().readings(), key(1),
          "{\"series\":\"sensor-1\",\"ts\":\"2026-04-01T00:00:00Z\",\"value\":1}".getBytes(StandardCharsets.UTF_8)));
      producer.flush();

      int expected = sensors * (steps - 24 + 1);
      List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(broker.bootstrapServers(),
          config.topics().forecasts(), r -> r.size() >= expected, Duration.ofSeconds(60), Duration.ofSeconds(2));
      List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(broker.bootstrapServers(),
          config.topics().deadLetters(), r -> r.size() >= 2, Duration.ofSeconds(30));

      assertThat(forecasts.size()).isEqualTo(expected);
      assertThat(countByKeyAndTime(forecasts).values()).containsOnly(1);
      assertThat(dead).extracting(r -> new String(r.headers().lastHeader(Rejection.CODE_HEADER).value(),
          StandardCharsets.UTF_8)).containsExactlyInAnyOrder(Rejection.MALFORMED_JSON, Rejection.WRONG_CHANNEL_COUNT);
      String latest = new String(service.queries().latest("sensor-3").orElseThrow(), StandardCharsets.UTF_8);
      assertThat(latest).contains("\"series\":\"sensor-3\"")
          .contains("\"issuedAt\":\"" + FLEET.time(FleetModels.TRAINING_ROWS + steps - 1) + "\"")
          .contains("\"model\":{\"name\":\"seasonal-naive\"");
    }
  }
}

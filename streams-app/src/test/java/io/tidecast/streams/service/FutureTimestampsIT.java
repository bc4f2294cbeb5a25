package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.config;
import static io.tidecast.streams.KafkaTestSupport.countByKeyAndTime;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.sim.Fleet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Readings dated a year ahead of the clock (a replay, a fast simulation, a sensor's clock) against a
 * broker with Kafka's default limit on timestamps (an hour ahead): the topology creates its topics
 * and changelogs to take them, and forecasts them all.
 */
@Tag("integration")
class FutureTimestampsIT {

  @Test
  void readingsFarAheadOfTheClockAreForecastAndStopNothing() {
    Path dir = KafkaTestSupport.tempDir("tidecast-future");
    Properties brokerDefaults = new Properties();
    brokerDefaults.setProperty("log.message.timestamp.after.max.ms", "3600000");
    Fleet ahead = new Fleet(7, Frequency.HOURLY, Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS));
    int sensors = 5;
    int steps = 40;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, brokerDefaults)) {
      ServiceConfig config = config(broker.bootstrapServers(), dir.resolve("app"), "future-1", 0);
      try (StreamsService service = StreamsService.start(config, FleetModels.train(config));
          KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
        for (int t = 0; t < steps; t++) {
          for (int s = 0; s < sensors; s++) {
            producer.send(new ProducerRecord<>(config.topics().readings(), key(s), reading(ahead, s, t)));
          }
        }
        producer.flush();

        int expected = sensors * (steps - 24 + 1);
        List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(broker.bootstrapServers(),
            config.topics().forecasts(), r -> r.size() >= expected, Duration.ofSeconds(60), Duration.ofSeconds(2));

        assertThat(forecasts).hasSize(expected);
        assertThat(countByKeyAndTime(forecasts).values()).containsOnly(1);
        assertThat(forecasts.get(0).timestamp()).isGreaterThan(Instant.now().plus(300, ChronoUnit.DAYS).toEpochMilli());
        assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    } finally {
      KafkaTestSupport.delete(dir);
    }
  }
}

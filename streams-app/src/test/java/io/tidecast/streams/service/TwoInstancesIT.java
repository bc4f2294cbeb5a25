package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.config;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.WithEmbeddedBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.sim.Fleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two instances share the partitions; each answers for series the other owns through the metadata. */
@Tag("integration")
class TwoInstancesIT extends WithEmbeddedBroker {

  private static final int SENSORS = 16;
  private static final int STEPS = 30;
  @Test
  void aQueryForASeriesOwnedByTheOtherInstanceIsAnsweredThroughTheMetadataLookup() throws Exception {
    ServiceConfig configA = config(broker.bootstrapServers(), dir.resolve("a"), "instance-a", freePort());
    ServiceConfig configB = config(broker.bootstrapServers(), dir.resolve("b"), "instance-b", freePort());
    try (StreamsService a = StreamsService.start(configA, FleetModels.train(configA));
        StreamsService b = StreamsService.start(configB, FleetModels.train(configB));
        KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
      awaitBothRunningWithPartitions(a, b);
      for (int t = 0; t < STEPS; t++) {
        for (int s = 0; s < SENSORS; s++) {
          producer.send(new ProducerRecord<>(configA.topics().readings(), key(s),
              reading(FleetModels.FLEET, s, FleetModels.TRAINING_ROWS + t)));
        }
      }
      producer.flush();
      int expected = SENSORS * (STEPS - 24 + 1);
      assertThat(readCommitted(broker.bootstrapServers(), configA.topics().forecasts(), r -> r.size() >= expected,
          Duration.ofSeconds(60)).size()).isEqualTo(expected);

      HostInfo hostA = new HostInfo("localhost", configA.queryPort());
      HostInfo hostB = new HostInfo("localhost", configB.queryPort());
      int ownedByB = 0;
      int ownedByA = 0;
      for (int s = 0; s < SENSORS; s++) {
        String series = Fleet.sensorId(s);
        HostInfo owner = a.queries().owner(series);
        assertThat(owner).isIn(hostA, hostB);
        String issued = "\"issuedAt\":\"" + FleetModels.FLEET.time(FleetModels.TRAINING_ROWS + STEPS - 1) + "\"";
        // Both instances answer for every series: one from its store, the other through the owner.
        assertThat(text(a.queries().latest(series))).contains("\"series\":\"" + series + "\"").contains(issued);
        assertThat(text(b.queries().latest(series))).contains("\"series\":\"" + series + "\"").contains(issued);
        if (owner.equals(hostB)) {
          ownedByB++;
          assertThat(a.queries().local(io.tidecast.streams.query.ForecastQueries.View.LATEST_FORECAST, series)).as("A does not hold " + series).isEmpty();
        } else {
          ownedByA++;
          assertThat(b.queries().local(io.tidecast.streams.query.ForecastQueries.View.LATEST_FORECAST, series)).as("B does not hold " + series).isEmpty();
        }
      }
      assertThat(ownedByA).as("series owned by A").isPositive();
      assertThat(ownedByB).as("series owned by B").isPositive();
    }
  }

  private static void awaitBothRunningWithPartitions(StreamsService a, StreamsService b) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      boolean running = a.streams().state() == KafkaStreams.State.RUNNING
          && b.streams().state() == KafkaStreams.State.RUNNING;
      boolean shared = a.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty())
          && b.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
      if (running && shared) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the two instances did not share the partitions in time");
  }

  private static String text(Optional<byte[]> json) {
    return new String(json.orElseThrow(), StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

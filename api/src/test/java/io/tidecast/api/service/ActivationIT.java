package io.tidecast.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.api.ServiceTestSupport;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.topology.TopologyEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two instances sharing the partitions: a version trained and activated through one is activated on
 * the other too (which trains the same model itself), the forecasts of the series each owns name
 * it, and an instance that restarts serves it again.
 */
class ActivationIT {

  private static TidecastSettings settings(Path data, String instance, String bootstrap, int brokerPort) {
    Properties p = new Properties();
    if (bootstrap != null) {
      p.setProperty("tidecast.bootstrap-servers", bootstrap);
    } else {
      p.setProperty("tidecast.embedded.port", Integer.toString(brokerPort));
    }
    p.setProperty("tidecast.data-dir", data.resolve(instance).toString());
    p.setProperty("tidecast.instance-id", instance);
    p.setProperty("tidecast.query.port", Integer.toString(ServiceTestSupport.freePort()));
    p.setProperty("tidecast.fleet.enabled", "false");
    p.setProperty("tidecast.database.enabled", "false");
    p.setProperty("kafka.consumer.session.timeout.ms", "10000");
    return TidecastSettings.from(p);
  }

  /** The latest forecast's JSON, or "" while there is none or the instance cannot answer now. */
  private static String latestOrNothing(TidecastService instance, String series) {
    try {
      return instance.queries().latest(series).map(json -> new String(json, StandardCharsets.UTF_8)).orElse("");
    } catch (IllegalStateException notNow) {
      return "";
    }
  }

  private static boolean ownsSome(TidecastService instance) {
    try {
      return !instance.queries().localSeries().isEmpty();
    } catch (IllegalStateException notNow) {
      return false; // rebalancing: asked again
    }
  }

  /** The answer of a query, asked again while the instances say they cannot answer now (rebalancing). */
  private static <T> T settled(Supplier<T> query) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return query.get();
      } catch (IllegalStateException notNow) {
        if (System.nanoTime() > deadline) {
          throw notNow;
        }
        Thread.sleep(200);
      }
    }
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void anActivationThroughOneInstanceReachesTheOtherAndSurvivesARestart() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString()).toAbsolutePath();
    int brokerPort = ServiceTestSupport.freePort();
    try (TidecastService a = TidecastService.start(settings(data, "a", null, brokerPort), TopologyEvents.NONE)) {
      TidecastSettings bSettings = settings(data, "b", a.bootstrapServers(), 0);
      TidecastService b = TidecastService.start(bSettings, TopologyEvents.NONE);
      try {
        a.train("linear-ar", "linear-ar", Map.of("lags", "24"));
        assertThat(b.models().versions("linear-ar")).extracting(v -> v.version()).doesNotContain("lags-24");
        a.activate("linear-ar", "lags-24");
        await(() -> b.models().active("linear-ar").version().equals("lags-24"), Duration.ofSeconds(30));

        try (KafkaProducer<byte[], byte[]> producer = ServiceTestSupport.producer(a.bootstrapServers())) {
          for (int t = 0; t < 100; t++) {
            for (int s = 0; s < 20; s++) {
              String series = "act-" + s;
              producer.send(new ProducerRecord<>(a.settings().streams().topics().readings(),
                  series.getBytes(StandardCharsets.UTF_8), ReadingJson.write(series,
                      Instant.parse("2026-06-01T00:00:00Z").plusSeconds(3600L * t), Fleet.CHANNELS,
                      FleetModels.FLEET.values(s, FleetModels.TRAINING_ROWS + t))));
            }
          }
        }
        // b joining makes the group rebalance, maybe more than once: until it has settled, a may own
        // every partition, and queries may say "not now"
        await(() -> a.queries().localCount() + b.queries().localCount() >= 20 && ownsSome(a) && ownsSome(b),
            Duration.ofSeconds(60));
        List<String> ownedByB = settled(() -> b.queries().localSeries());
        assertThat(ownedByB).as("b owns some of the series").isNotEmpty();
        assertThat(settled(() -> a.queries().localSeries())).as("a owns the others").isNotEmpty();
        // the last reading's forecast: once b has it, nothing more changes for the series
        String last = "\"issuedAt\":\"" + Instant.parse("2026-06-01T00:00:00Z").plusSeconds(3600L * 99) + "\"";
        for (String series : ownedByB) {
          await(() -> latestOrNothing(b, series).contains(last), Duration.ofSeconds(60));
          String forecast = new String(settled(() -> b.queries().latest(series)).orElseThrow(), StandardCharsets.UTF_8);
          assertThat(forecast).contains("\"version\":\"lags-24\"").contains(last);
          // and a answers for b's series through the metadata lookup
          assertThat(new String(settled(() -> a.queries().latest(series)).orElseThrow(), StandardCharsets.UTF_8))
              .isEqualTo(forecast);
        }
      } finally {
        b.close();
      }
      try (TidecastService restarted = TidecastService.start(bSettings, TopologyEvents.NONE)) {
        assertThat(restarted.models().active("linear-ar").version()).isEqualTo("lags-24");
      }
    }
  }
}

package io.tidecast.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.api.RunningService;
import io.tidecast.api.ServiceTestSupport;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.Fleet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hot swap under load: while 2,000 readings/s flow through the real broker, a new version is trained
 * and activated over HTTP. Every expected forecast arrives exactly once (read_committed), each names
 * one version, no series goes back to the old version, and every forecast of readings sent after the
 * activation answered comes from the new one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tidecast.fleet.enabled=false", "tidecast.database.enabled=false"})
class HotSwapIT extends RunningService {

  static final int SERIES = 100;
  static final int STEPS = 400;
  static final double PER_SECOND = 2_000;
  static final int INPUT = 96;
  static final Instant START = Instant.parse("2026-04-01T00:00:00Z");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void activatingAVersionUnderLoadLosesNoForecastAndMixesNone() throws Exception {
    String readings = service.settings().streams().topics().readings();
    AtomicLong stepSending = new AtomicLong();
    Thread producerThread = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> producer = ServiceTestSupport.producer(service.bootstrapServers())) {
        long started = System.nanoTime();
        for (int step = 0; step < STEPS; step++) {
          stepSending.set(step);
          for (int s = 0; s < SERIES; s++) {
            String series = "swap-" + s;
            producer.send(new ProducerRecord<>(readings, series.getBytes(StandardCharsets.UTF_8),
                ReadingJson.write(series, START.plusSeconds(3600L * step), Fleet.CHANNELS,
                    FleetModels.FLEET.values(s % 20, FleetModels.TRAINING_ROWS + step))));
          }
          long due = started + (long) ((step + 1) * SERIES / PER_SECOND * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "load");
    long sendStarted = System.nanoTime();
    producerThread.start();

    while (stepSending.get() < STEPS * 2 / 5) {
      Thread.sleep(20);
    }
    var trained = ServiceTestSupport.send(keyed("/api/v1/models/linear-ar/versions")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"linear-ar\",\"options\":{\"lags\":\"24\"}}")));
    assertThat(trained.statusCode()).as(trained.body()).isEqualTo(201);
    var activated = ServiceTestSupport.send(keyed("/api/v1/models/linear-ar")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"lags-24\"}")));
    assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    long swappedAtStep = stepSending.get();
    producerThread.join();
    double sentPerSecond = SERIES * STEPS / ((System.nanoTime() - sendStarted) / 1e9);

    int expected = SERIES * (STEPS - INPUT + 1);
    List<ConsumerRecord<byte[], byte[]>> records = ServiceTestSupport.readCommitted(service.bootstrapServers(),
        service.settings().streams().topics().forecasts(), r -> r.size() >= expected, Duration.ofSeconds(120),
        Duration.ofSeconds(5));

    Map<String, Integer> counts = new HashMap<>();
    Map<String, TreeMap<Instant, String>> versionsBySeries = new HashMap<>();
    Set<String> versions = new HashSet<>();
    List<String> oldAfterSwap = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      JsonNode forecast = JSON.readTree(record.value());
      String series = forecast.path("series").asString();
      Instant issued = Instant.parse(forecast.path("issuedAt").asString());
      assertThat(forecast.path("model").path("name").asString()).isEqualTo("linear-ar");
      String version = forecast.path("model").path("version").asString();
      versions.add(version);
      counts.merge(series + "@" + issued, 1, Integer::sum);
      versionsBySeries.computeIfAbsent(series, k -> new TreeMap<>()).put(issued, version);
      long step = Duration.between(START, issued).toHours();
      // readings of this step were sent after the activation had answered
      if (step > swappedAtStep + 1 && !version.equals("lags-24")) {
        oldAfterSwap.add(series + "@" + issued + " " + version);
      }
    }
    Set<String> expectedKeys = new HashSet<>();
    for (int s = 0; s < SERIES; s++) {
      for (int step = INPUT - 1; step < STEPS; step++) {
        expectedKeys.add("swap-" + s + "@" + START.plusSeconds(3600L * step));
      }
    }
    System.out.printf("hot swap: sent %.0f readings/s, %d forecasts, swap answered at step %d, versions %s%n",
        sentPerSecond, records.size(), swappedAtStep, versions);
    assertThat(sentPerSecond).isGreaterThan(1_800);
    assertThat(counts.keySet()).isEqualTo(expectedKeys);
    assertThat(counts.values()).allMatch(c -> c == 1);
    assertThat(records).hasSize(expected);
    assertThat(versions).containsExactlyInAnyOrder("lags-96", "lags-24");
    assertThat(oldAfterSwap).isEmpty();
    for (var entry : versionsBySeries.entrySet()) {
      List<String> sequence = new ArrayList<>(entry.getValue().values());
      int firstNew = sequence.indexOf("lags-24");
      assertThat(firstNew).as(entry.getKey()).isGreaterThanOrEqualTo(0);
      assertThat(sequence.subList(firstNew, sequence.size())).as(entry.getKey()).containsOnly("lags-24");
    }
    assertThat(ServiceTestSupport.get("http://localhost:" + port + "/api/v1/models/linear-ar").body())
        .contains("\"active\":{\"name\":\"linear-ar\",\"version\":\"lags-24\"");
  }

  private HttpRequest.Builder keyed(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json").header("X-API-Key", "it-key");
  }
}

package io.tidecast.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.Fleet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application as the README runs it: the embedded broker, the topology, the simulated
 * fleet and the REST API, called over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tidecast.fleet.sensors=5", "tidecast.fleet.rate=50", "tidecast.database.enabled=false"})
class TidecastServiceIT extends RunningService {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void readingsProducedToKafkaComeBackAsAForecastOverHttp() throws Exception {
    String series = "it-probe";
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    try (KafkaProducer<byte[], byte[]> producer = ServiceTestSupport.producer(service.bootstrapServers())) {
      for (int t = 0; t < 100; t++) {
        byte[] reading = ReadingJson.write(series, start.plusSeconds(3600L * t), Fleet.CHANNELS,
            FleetModels.FLEET.values(1, FleetModels.TRAINING_ROWS + t));
        producer.send(new ProducerRecord<>(service.settings().streams().topics().readings(),
            series.getBytes(StandardCharsets.UTF_8), reading));
      }
    }
    Instant last = start.plusSeconds(3600L * 99);
    String path = url("/api/v1/series/" + series + "/forecast");
    HttpResponse<String> response = ServiceTestSupport.await200(path, Duration.ofSeconds(60));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!JSON.readTree(response.body()).path("issuedAt").asString().equals(last.toString())
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
      response = ServiceTestSupport.get(path);
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode forecast = JSON.readTree(response.body());
    assertThat(forecast.path("series").asString()).isEqualTo(series);
    assertThat(forecast.path("issuedAt").asString()).isEqualTo(last.toString());
    assertThat(forecast.path("model").path("name").asString()).isEqualTo("linear-ar");
    assertThat(forecast.path("model").path("version").asString()).isEqualTo("lags-96");
    assertThat(forecast.path("steps")).hasSize(24);
    assertThat(forecast.path("steps").get(0).path("ts").asString()).isEqualTo(last.plusSeconds(3600).toString());
    assertThat(forecast.path("steps").get(0).path("yhat").path("OT").isNumber()).isTrue();

    // forecasts issued at hours 95..98 were scored against the readings after them: step 1 has bounds
    assertThat(forecast.path("steps").get(0).path("lower").path("OT").isNumber()).isTrue();
    assertThat(forecast.path("steps").get(0).path("upper").path("OT").asDouble())
        .isGreaterThan(forecast.path("steps").get(0).path("lower").path("OT").asDouble());
    JsonNode accuracy = JSON.readTree(ServiceTestSupport.get(url("/api/v1/series/" + series + "/accuracy")).body());
    assertThat(accuracy.path("steps").get(0).path("count").path("OT").asInt()).isEqualTo(4);
    assertThat(accuracy.path("steps").get(0).path("mae").path("OT").asDouble()).isPositive();
    JsonNode window = JSON.readTree(ServiceTestSupport.get(url("/api/v1/series/" + series + "/readings")).body());
    assertThat(window.path("readings")).hasSizeGreaterThanOrEqualTo(96);
    assertThat(window.path("readings").get(window.path("readings").size() - 1).path("ts").asString())
        .isEqualTo(last.toString());
    assertThat(ServiceTestSupport.get(url("/api/v1/series")).body()).contains("\"" + series + "\"");

    HttpResponse<String> unknown = ServiceTestSupport.get(url("/api/v1/series/never-seen/forecast"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void theSimulatedFleetIsForecastToo() throws Exception {
    HttpResponse<String> response = ServiceTestSupport.await200(
        url("/api/v1/series/" + Fleet.sensorId(0) + "/forecast"), Duration.ofSeconds(60));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("steps")).hasSize(24);
  }

  @Test
  void onlyHealthInfoAndPrometheusAreExposedAndReadinessFollowsTheStreams() throws Exception {
    HttpResponse<String> ready = ServiceTestSupport.await200(url("/actuator/health/readiness"), Duration.ofSeconds(30));
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).path("status").asString()).isEqualTo("UP");
    assertThat(JSON.readTree(ready.body()).path("components").path("streams").path("details").path("state").asString())
        .isEqualTo("RUNNING");
    ServiceTestSupport.await200(url("/api/v1/series/" + Fleet.sensorId(0) + "/forecast"), Duration.ofSeconds(60));
    String metrics = ServiceTestSupport.get(url("/actuator/prometheus")).body();
    assertThat(metrics).contains("tidecast_readings_accepted_total", "tidecast_forecasts_total{",
        "tidecast_model_latency_seconds", "tidecast_batch_size", "tidecast_store_series",
        "tidecast_dead_letters_total{code=\"malformed-json\"");
    assertThat(ServiceTestSupport.get(url("/actuator/env")).statusCode()).isEqualTo(404);
    assertThat(ServiceTestSupport.get(url("/actuator/beans")).statusCode()).isEqualTo(404);
    assertThat(ServiceTestSupport.get(url("/actuator/info")).statusCode()).isEqualTo(200);
    String openApi = ServiceTestSupport.get(url("/v3/api-docs")).body();
    assertThat(openApi).contains("/api/v1/series/{id}/forecast", "/api/v1/models/{name}", "/api/v1/forecast");
    assertThat(ServiceTestSupport.get(url("/swagger-ui/index.html")).statusCode()).isEqualTo(200);
  }

  @Test
  void mutatingCallsOverHttpNeedTheKey() {
    HttpRequest.Builder activate = HttpRequest.newBuilder(URI.create(url("/api/v1/models/linear-ar")))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"lags-96\"}"));
    assertThat(ServiceTestSupport.send(activate).statusCode()).isEqualTo(401);
    assertThat(ServiceTestSupport.send(activate.copy().header("X-API-Key", "nope")).statusCode()).isEqualTo(403);
    assertThat(ServiceTestSupport.send(activate.copy().header("X-API-Key", "it-key")).statusCode()).isEqualTo(200);
  }
}

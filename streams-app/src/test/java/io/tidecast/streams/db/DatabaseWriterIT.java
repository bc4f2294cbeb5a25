package io.tidecast.streams.db;

import static io.tidecast.streams.KafkaTestSupport.config;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.WithEmbeddedBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writer against the real broker and the real PostgreSQL server: every reading and forecast of
 * a run is stored exactly once, also when the database refuses connections for 30 s mid-run.
 */
@Tag("integration")
class DatabaseWriterIT extends WithEmbeddedBroker {

  static final int SENSORS = 10;
  static final int STEPS = 120;
  static final int INPUT = 24;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Database database;

  @BeforeEach
  void create() throws Exception {
    database = TestDatabases.create("tidecast_writer");
  }

  @AfterEach
  void drop() throws Exception {
    TestDatabases.restore(database);
    TestDatabases.drop(database);
  }

  private void send(KafkaProducer<byte[], byte[]> producer, ServiceConfig config, int from, int to) {
    for (int t = from; t < to; t++) {
      for (int s = 0; s < SENSORS; s++) {
        producer.send(new ProducerRecord<>(config.topics().readings(), key(s),
            reading(FleetModels.FLEET, s, FleetModels.TRAINING_ROWS + t)));
      }
    }
    // a malformed record is dead-lettered by the topology and stored by nobody
    producer.send(new ProducerRecord<>(config.topics().readings(), key(0), "{oops".getBytes(StandardCharsets.UTF_8)));
    producer.flush();
  }

  @Test
  void everyRowArrivesOnceAlsoAcrossA30SecondOutage() throws Exception {
    ServiceConfig config = config(broker.bootstrapServers(), dir.resolve("writer"), "writer-1", 0);
    try (StreamsService service = StreamsService.start(config, FleetModels.train(config));
        DatabaseWriter writer = DatabaseWriter.start(database, config, broker.bootstrapServers());
        KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(broker.bootstrapServers())) {
      send(producer, config, 0, STEPS / 2);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (writer.rowsWritten() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(writer.rowsWritten()).isPositive();

      TestDatabases.cut(database);
      long outage = System.nanoTime();
      send(producer, config, STEPS / 2, STEPS);
      while (writer.failures() == 0 && System.nanoTime() - outage < Duration.ofSeconds(25).toNanos()) {
        Thread.sleep(100);
      }
      assertThat(writer.failures()).as("the writer noticed the outage").isPositive();
      assertThat(writer.healthy()).isFalse();
      Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - outage) / 1_000_000));
      TestDatabases.restore(database);

      int forecastsExpected = SENSORS * (STEPS - INPUT + 1);
      List<ConsumerRecord<byte[], byte[]>> forecasts = readCommitted(broker.bootstrapServers(),
          config.topics().forecasts(), r -> r.size() >= forecastsExpected, Duration.ofSeconds(60), Duration.ofSeconds(1));
      assertThat(forecasts).hasSize(forecastsExpected);
      long readingRows = (long) SENSORS * STEPS * 7;
      long forecastRows = (long) forecastsExpected * INPUT * 7; // horizon 24, 7 channels
      deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (writer.rowsWritten() < readingRows + forecastRows && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(1_000);
      System.out.printf("database writer: %d rows, %d failed writes during the outage%n", writer.rowsWritten(),
          writer.failures());
      assertThat(writer.healthy()).isTrue();

      assertThat(TestDatabases.count(database, "SELECT count(*) FROM readings")).isEqualTo(readingRows);
      assertThat(TestDatabases.count(database, "SELECT count(*) FROM forecasts")).isEqualTo(forecastRows);
      assertThat(TestDatabases.count(database, "SELECT count(*) FROM issued_forecasts")).isEqualTo(forecastsExpected);
      // the first ones have no bounds or some; later ones bounds on every step
      for (int i = 0; i < forecasts.size(); i += 97) {
        assertStoredAsSent(database, forecasts.get(i).value());
      }
      Set<String> expected = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : forecasts) {
        JsonNode f = JSON.readTree(r.value());
        expected.add(f.path("series").asString() + "@" + Instant.parse(f.path("issuedAt").asString()));
      }
      Set<String> stored = new HashSet<>();
      try (Connection c = database.connect(); Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT series, issued_at, count(*), count(DISTINCT (channel, step)) "
              + "FROM forecasts GROUP BY series, issued_at")) {
        while (rows.next()) {
          stored.add(rows.getString(1) + "@" + rows.getObject(2, java.time.OffsetDateTime.class).toInstant());
          assertThat(rows.getLong(3)).isEqualTo(INPUT * 7L);
          assertThat(rows.getLong(4)).isEqualTo(INPUT * 7L);
        }
      }
      assertThat(stored).isEqualTo(expected);
      assertThat(TestDatabases.count(database,
          "SELECT count(DISTINCT (series, ts)) FROM readings")).isEqualTo((long) SENSORS * STEPS);
    }
  }

  /** Every value of one forecast, read back through the long view, equals the JSON's (as float). */
  private static void assertStoredAsSent(Database database, byte[] json) throws Exception {
    JsonNode f = JSON.readTree(json);
    int checked = 0;
    try (Connection c = database.connect(); java.sql.PreparedStatement s = c.prepareStatement(
        "SELECT step, channel, target_ts, yhat, yhat_lower, yhat_upper, model, model_version FROM forecasts "
            + "WHERE series = ? AND issued_at = ?::timestamptz")) {
      s.setString(1, f.path("series").asString());
      s.setString(2, f.path("issuedAt").asString());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          JsonNode step = f.path("steps").get(r.getInt(1) - 1);
          String channel = r.getString(2);
          assertThat(r.getObject(3, java.time.OffsetDateTime.class).toInstant())
              .isEqualTo(Instant.parse(step.path("ts").asString()));
          assertThat((float) r.getDouble(4)).isEqualTo((float) step.path("yhat").path(channel).asDouble());
          if (step.has("lower")) {
            assertThat((float) r.getDouble(5)).isEqualTo((float) step.path("lower").path(channel).asDouble());
            assertThat((float) r.getDouble(6)).isEqualTo((float) step.path("upper").path(channel).asDouble());
          } else {
            assertThat(r.getObject(5)).isNull();
          }
          assertThat(r.getString(7)).isEqualTo(f.path("model").path("name").asString());
          assertThat(r.getString(8)).isEqualTo(f.path("model").path("version").asString());
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(f.path("steps").size() * f.path("steps").get(0).path("yhat").size());
  }
}

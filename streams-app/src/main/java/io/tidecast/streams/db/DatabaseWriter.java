package io.tidecast.streams.db;

import io.tidecast.streams.config.ServiceConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores readings and forecasts: consumes both topics (read_committed), turns each poll into one
 * transaction of batched upserts, and commits the Kafka offsets only after the rows are stored.
 * When the database fails, the consumer pauses and the same rows are written again, with growing
 * waits, until they are stored; the upserts make a row written twice a row stored once. So a
 * database that goes away and comes back loses nothing and doubles nothing.
 */
public final class DatabaseWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWriter.class);

  private final Database database;
  private final ServiceConfig config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean healthy = true;
  private Connection connection;

  private DatabaseWriter(Database database, ServiceConfig config, String bootstrap) {
    this.database = database;
    this.config = config;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-database-writer",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId() + "-database-writer"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "tidecast-database-writer");
    this.thread.setUncaughtExceptionHandler((t, e) -> {
      healthy = false;
      log.error("the database writer stopped", e);
    });
  }

  /**
   * Applies the schema and starts writing.
   *
   * @throws SQLException if the database cannot be reached or the schema not applied
   */
  public static DatabaseWriter start(Database database, ServiceConfig config, String bootstrap) throws SQLException {
    try (Connection c = database.connect()) {
      Schema.apply(c);
    }
    DatabaseWriter writer = new DatabaseWriter(database, config, bootstrap);
    writer.consumer.subscribe(List.of(config.topics().readings(), config.topics().forecasts()));
    writer.thread.setDaemon(true);
    writer.thread.start();
    return writer;
  }

  /** Rows stored since start. */
  public long rowsWritten() {
    return rowsWritten.get();
  }

  /** Failed writes since start (each retried). */
  public long failures() {
    return failures.get();
  }

  /** Whether the last write succeeded. */
  public boolean healthy() {
    return healthy;
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        Rows rows = new Rows(config.catalog());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (r.topic().equals(config.topics().forecasts())) {
            try {
              rows.addForecast(r.value());
            } catch (RuntimeException e) {
              log.error("not a forecast at {}-{}@{}; skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
          } else {
            rows.addReading(r.key(), r.value());
          }
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        storeUntilDone(rows);
        consumer.commitSync(offsets);
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      closeConnection();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Writes the rows, retrying with the consumer paused (still in its group) until they are stored. */
  private void storeUntilDone(Rows rows) {
    long wait = 250;
    boolean paused = false;
    while (running) {
      try {
        write(rows);
        healthy = true;
        if (paused) {
          consumer.resume(consumer.assignment());
          log.info("database writes resumed");
        }
        return;
      } catch (SQLException | RuntimeException e) {
        failures.incrementAndGet();
        healthy = false;
        closeConnection();
        if (!paused) {
          consumer.pause(consumer.assignment());
          paused = true;
          log.warn("database write failed ({}); retrying, nothing is committed until it succeeds",
              e.getMessage());
        }
        // keep the group membership while waiting: paused partitions return nothing
        long until = System.currentTimeMillis() + wait;
        while (running && System.currentTimeMillis() < until) {
          consumer.poll(Duration.ofMillis(Math.min(200, wait)));
        }
        wait = Math.min(wait * 2, 5_000);
      }
    }
  }

  private void write(Rows rows) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = database.connect();
      connection.setAutoCommit(false);
    }
    try (PreparedStatement readings = connection.prepareStatement(Rows.UPSERT_READING);
        PreparedStatement forecasts = connection.prepareStatement(Rows.UPSERT_FORECAST)) {
      rows.bind(readings, forecasts);
      readings.executeBatch();
      forecasts.executeBatch();
      connection.commit();
      rowsWritten.addAndGet(rows.size());
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; it is closed and opened again
      }
      throw e;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing a failed connection: {}", e.getMessage());
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

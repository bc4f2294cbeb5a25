package io.tidecast.streams.db;

import io.tidecast.streams.config.ServiceConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores readings and forecasts: consumes both topics (read_committed), turns each poll into one
 * transaction of upserts, and commits the Kafka offsets of a poll only after its rows are stored.
 *
 * <p>Two threads, so that reading and parsing the next poll overlaps storing the last one: the
 * consumer thread polls, parses and commits; the store thread writes one poll at a time, in order.
 * At most one parsed poll waits for the store thread; while it waits the consumer is paused (it
 * stays in its group and reads nothing). When the database fails, the store thread writes the same
 * rows again, with growing waits, until they are stored; the upserts make a row written twice a
 * row stored once. So a database that goes away and comes back loses nothing and doubles nothing,
 * and neither does a crash between storing and committing.
 */
public final class DatabaseWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWriter.class);

  private final Database database;
  private final ServiceConfig config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread consumerThread;
  private final Thread storeThread;
  /** Parsed polls for the store thread: one at a time, so that the consumer waits when the database is slow. */
  private final BlockingQueue<Batch> toStore = new ArrayBlockingQueue<>(1);
  /** Offsets of polls whose rows are stored, in order, for the consumer thread to commit. */
  private final BlockingQueue<Map<TopicPartition, OffsetAndMetadata>> stored = new LinkedBlockingQueue<>();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong writeNanos = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean healthy = true;
  /** Whether the store thread holds a batch it has not stored yet. */
  private volatile boolean storing;
  /** Stored offsets taken from {@link #stored} and not committed yet (consumer thread only). */
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  private Connection connection;

  /** The rows of one poll and the offsets to commit once they are stored. */
  private record Batch(Rows rows, Map<TopicPartition, OffsetAndMetadata> offsets) {}

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
    this.consumerThread = new Thread(this::consume, "tidecast-database-writer");
    this.storeThread = new Thread(this::store, "tidecast-database-store");
    for (Thread t : List.of(consumerThread, storeThread)) {
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> {
        healthy = false;
        log.error("the database writer stopped ({})", thread.getName(), e);
      });
    }
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
    writer.consumer.subscribe(List.of(config.topics().readings(), config.topics().forecasts()), writer.new Revocation());
    writer.storeThread.start();
    writer.consumerThread.start();
    return writer;
  }

  /**
   * Rows stored since start, counted as the long format shows them: one per reading channel and one
   * per forecast value (a forecast is one row of {@code issued_forecasts}).
   */
  public long rowsWritten() {
    return rowsWritten.get();
  }

  /** Seconds spent in successful database writes (statements and commit) since start. */
  public double writeSeconds() {
    return writeNanos.get() / 1e9;
  }

  /** Failed writes since start (each retried). */
  public long failures() {
    return failures.get();
  }

  /** Whether the last write succeeded. */
  public boolean healthy() {
    return healthy;
  }

  private void consume() {
    Batch waiting = null;
    boolean paused = false;
    try {
      while (running) {
        commitStored();
        if (waiting != null) {
          if (toStore.offer(waiting, 50, TimeUnit.MILLISECONDS)) {
            waiting = null;
            if (paused) {
              consumer.resume(consumer.assignment());
              paused = false;
            }
          } else {
            // the store thread is busy (or the database away): stay in the group, read nothing new
            consumer.pause(consumer.assignment());
            paused = true;
            ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ofMillis(50));
            if (!more.isEmpty()) { // partitions assigned since the pause
              add(waiting, more);
            }
          }
          continue;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          waiting = new Batch(new Rows(config.catalog()), new HashMap<>());
          add(waiting, records);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        storeThread.join(10_000);
        try {
          commitStored();
        } catch (WakeupException e) {
          commitStored(); // the wake-up meant for a poll came here; it is used up now
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }

  private void add(Batch batch, ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.topic().equals(config.topics().forecasts())) {
        try {
          batch.rows().addForecast(r.value());
        } catch (RuntimeException e) {
          log.error("not a forecast at {}-{}@{}; skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
      } else {
        batch.rows().addReading(r.key(), r.value());
      }
      batch.offsets().put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    }
  }

  /** Commits the offsets of every poll stored so far (consumer thread only). */
  private void commitStored() {
    Map<TopicPartition, OffsetAndMetadata> next;
    while ((next = stored.poll()) != null) {
      toCommit.putAll(next); // later polls come later in the queue: their offsets win
    }
    if (toCommit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(toCommit);
      toCommit.clear();
    } catch (WakeupException e) {
      throw e; // closing: the offsets stay for the last commit
    } catch (KafkaException e) {
      // partitions moved to another member: it reads them from the last commit and stores the
      // same rows again, which the upserts keep single
      toCommit.clear();
      log.warn("offsets of stored rows not committed ({}); the rows will be written again", e.getMessage());
    }
  }

  /** Before partitions go to another member: what is being stored finishes and is committed, if it can. */
  private final class Revocation implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while ((storing || !toStore.isEmpty()) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      commitStored();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // nothing to do: reading starts at the committed offsets
    }
  }

  private void store() {
    try {
      while (running) {
        Batch batch = toStore.poll(100, TimeUnit.MILLISECONDS);
        if (batch == null) {
          continue;
        }
        storing = true;
        if (storeUntilDone(batch.rows())) {
          stored.add(batch.offsets());
        }
        storing = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeConnection();
    }
  }

  /** Writes the rows, retrying with growing waits until they are stored; false if stopped first. */
  private boolean storeUntilDone(Rows rows) throws InterruptedException {
    long wait = 250;
    boolean failing = false;
    while (running) {
      try {
        write(rows);
        healthy = true;
        if (failing) {
          log.info("database writes resumed");
        }
        return true;
      } catch (SQLException | RuntimeException e) {
        failures.incrementAndGet();
        healthy = false;
        closeConnection();
        if (!failing) {
          failing = true;
          log.warn("database write failed ({}); retrying, nothing is committed until it succeeds", e.getMessage());
        }
        long until = System.currentTimeMillis() + wait;
        while (running && System.currentTimeMillis() < until) {
          Thread.sleep(Math.min(100, wait));
        }
        wait = Math.min(wait * 2, 5_000);
      }
    }
    return false;
  }

  private void write(Rows rows) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = database.connect();
      connection.setAutoCommit(false);
    }
    long started = System.nanoTime();
    try (PreparedStatement readings = connection.prepareStatement(Rows.UPSERT_READINGS);
        PreparedStatement forecasts = connection.prepareStatement(Rows.UPSERT_FORECAST)) {
      rows.bind(connection, readings, forecasts);
      if (rows.readingRows() > 0) {
        readings.executeUpdate();
      }
      if (rows.forecastRows() > 0) {
        forecasts.executeBatch();
      }
      connection.commit();
      rowsWritten.addAndGet(rows.size());
      writeNanos.addAndGet(System.nanoTime() - started);
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        // the connection is gone; it is closed and opened again, and the write's own error is thrown
        e.addSuppressed(rollback);
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
      consumerThread.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

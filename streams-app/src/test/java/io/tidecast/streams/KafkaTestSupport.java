package io.tidecast.streams;

import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.sim.Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the integration tests share: configurations, producers and read-committed consumers. */
public final class KafkaTestSupport {

  private KafkaTestSupport() {}

  /** A configuration against an existing broker, serving seasonal naive (input 24, horizon 24). */
  public static ServiceConfig config(String bootstrap, Path dataDir, String instanceId, int queryPort) {
    Properties p = new Properties();
    p.setProperty("tidecast.bootstrap-servers", bootstrap);
    p.setProperty("tidecast.data-dir", dataDir.toString());
    p.setProperty("tidecast.instance-id", instanceId);
    p.setProperty("tidecast.query.port", Integer.toString(queryPort));
    p.setProperty("tidecast.model.kind", "seasonal-naive");
    p.setProperty("tidecast.model.input", "24");
    p.setProperty("tidecast.model.horizon", "24");
    p.setProperty("kafka.consumer.session.timeout.ms", "10000");
    return ServiceConfig.from(p);
  }

  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static byte[] reading(Fleet fleet, int sensor, long step) {
    return ReadingJson.write(Fleet.sensorId(sensor), fleet.time(step), Fleet.CHANNELS, fleet.values(sensor, step));
  }

  public static byte[] key(int sensor) {
    return Fleet.sensorId(sensor).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a topic from the beginning with read_committed until {@code done} holds for what was read,
   * or the timeout passes.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    return readCommitted(bootstrap, topic, done, timeout, Duration.ZERO);
  }

  /**
   * As {@link #readCommitted(String, String, Predicate, Duration)}, then goes on reading for {@code
   * settle} so that records beyond the expected ones (duplicates) would be seen.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout, Duration settle) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(records) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long settled = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settled) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** How many times each (key, timestamp) pair occurs. */
  public static Map<String, Integer> countByKeyAndTime(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Integer> counts = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      counts.merge(new String(r.key(), StandardCharsets.UTF_8) + "@" + Instant.ofEpochMilli(r.timestamp()), 1,
          Integer::sum);
    }
    return counts;
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

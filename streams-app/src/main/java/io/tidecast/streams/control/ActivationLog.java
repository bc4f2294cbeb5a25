package io.tidecast.streams.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which model version serves each model name, for every instance: a compacted topic, key = model
 * name, value = the activation. Each instance reads it from the beginning at start (so a restart
 * serves what was last activated) and then follows it, so that an activation made through any
 * instance reaches all of them. A trained version names its kind and options, so that an instance
 * that does not hold it trains the same model (training is deterministic).
 */
public final class ActivationLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ActivationLog.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One activation.
   *
   * @param kind the kind that trained the version, or null for a saved one
   * @param options the options it was trained with (empty for a saved one)
   */
  public record Activation(String name, String version, String kind, Map<String, String> options) {

    public Activation {
      options = options == null ? Map.of() : Map.copyOf(options);
    }
  }

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread follower;
  private volatile boolean running = true;

  private ActivationLog(String topic, KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
      Consumer<Activation> apply) {
    this.topic = topic;
    this.producer = producer;
    this.consumer = consumer;
    this.follower = new Thread(() -> follow(apply), "tidecast-activations");
    follower.setDaemon(true);
  }

  /**
   * Creates the topic if needed, applies every activation already in it (before returning), then
   * follows it in the background.
   */
  public static ActivationLog start(String bootstrap, String topic, Consumer<Activation> apply) {
    createTopic(bootstrap, topic);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.CLIENT_ID_CONFIG, "tidecast-activations-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    ActivationLog activations = new ActivationLog(topic, producer, consumer, apply);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      consumer.poll(Duration.ofMillis(200)).forEach(r -> read(r).ifPresent(apply));
    }
    activations.follower.start();
    return activations;
  }

  private static void createTopic(String bootstrap, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + topic, e);
    }
  }

  /** Records an activation for every instance (this one included); returns once the broker has it. */
  public void publish(Activation activation) {
    byte[] value = JSON.writeValueAsBytes(Map.of("version", activation.version(),
        "kind", activation.kind() == null ? "" : activation.kind(), "options", activation.options()));
    try {
      producer.send(new ProducerRecord<>(topic, activation.name().getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot record the activation of " + activation.name() + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted recording an activation", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<Activation> read(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null || record.value() == null) {
      return Optional.empty();
    }
    try {
      Map<String, Object> value = JSON.readValue(record.value(), Map.class);
      String kind = (String) value.get("kind");
      return Optional.of(new Activation(new String(record.key(), StandardCharsets.UTF_8), (String) value.get("version"),
          kind == null || kind.isEmpty() ? null : kind, (Map<String, String>) value.get("options")));
    } catch (RuntimeException e) {
      log.error("unreadable activation at offset {}: {}", record.offset(), e.getMessage());
      return Optional.empty();
    }
  }

  private void follow(Consumer<Activation> apply) {
    try {
      while (running) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> read(r).ifPresent(apply));
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      follower.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}

package io.tidecast.streams.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One Kafka node, broker and controller at once (KRaft), running inside this JVM on Kafka's own
 * server classes. Its log directory is formatted on first start and kept, so a restart finds its
 * topics, offsets and transactions again. Retention is small: this broker serves one machine.
 *
 * <p>It is a real broker: clients reach it over TCP at {@link #bootstrapServers()}, transactions and
 * consumer groups work as on a cluster of one.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path logDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
  }

  /**
   * Starts a broker on {@code port} (0: a free port) keeping its data in {@code logDir}.
   *
   * @param overrides broker settings that replace the defaults, such as retention
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port, Properties overrides) {
    try {
      Files.createDirectories(logDir);
      int brokerPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
      props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", logDir.toString());
      // A cluster of one: every internal topic has one replica, transactions included.
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "4");
      props.put("default.replication.factor", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("auto.create.topics.enable", "false");
      // Bounded disk: 256 MB per partition, in 16 MB segments. Not by time: records carry their
      // event time, and a replay of past data would be deleted as soon as it is written.
      props.put("log.retention.ms", "-1");
      props.put("log.retention.bytes", String.valueOf(256L << 20));
      props.put("log.segment.bytes", String.valueOf(16 << 20));
      props.put("log.retention.check.interval.ms", "60000");
      // records carry event times, which may lie ahead of the clock (replays, fast simulations)
      props.put("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
      props.putAll(overrides);
      KafkaConfig config = new KafkaConfig(props, false);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        new Formatter()
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(logDir.toString()))
            .setMetadataLogDirectory(logDir.toString())
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setControllerListenerName("CONTROLLER")
            // Transactions v1: under v2 (Kafka 4.x) every transaction's first batch to a partition
            // is refused once with a retriable OutOfOrderSequence error and sent again, which
            // costs exactly-once producers a round trip per partition and transaction here.
            .setFeatureLevel("transaction.version", (short) 1)
            .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .run();
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaBroker(server, "localhost:" + brokerPort, logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded broker in " + logDir, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded broker in " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** Starts a broker on a free port with the default settings. */
  public static EmbeddedKafkaBroker start(Path logDir) {
    return start(logDir, 0, new Properties());
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}

package io.tidecast.streams.service;

import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.config.StreamsProperties;
import io.tidecast.streams.query.ForecastQueries;
import io.tidecast.streams.query.QueryServer;
import io.tidecast.streams.topology.ModelRouter;
import io.tidecast.streams.topology.TidecastTopology;
import io.tidecast.streams.topology.TopologyEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: the embedded broker when no cluster is configured, the topics, the topology
 * on Kafka Streams, and the query endpoint other instances ask.
 */
public final class StreamsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

  private final EmbeddedKafkaBroker broker;
  private final KafkaStreams streams;
  private final QueryServer queryServer;
  private final ForecastQueries queries;
  private final String bootstrapServers;

  private StreamsService(EmbeddedKafkaBroker broker, KafkaStreams streams, QueryServer queryServer,
      ForecastQueries queries, String bootstrapServers) {
    this.broker = broker;
    this.streams = streams;
    this.queryServer = queryServer;
    this.queries = queries;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts everything and waits until the streams are running. */
  public static StreamsService start(ServiceConfig config, ModelRouter router) {
    return start(config, router, TopologyEvents.NONE);
  }

  /** Starts everything, reporting what the topology does to {@code events}. */
  public static StreamsService start(ServiceConfig config, ModelRouter router, TopologyEvents events) {
    EmbeddedKafkaBroker broker = config.embedded()
        ? EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"), config.embeddedPort(), new Properties())
        : null;
    String bootstrap = broker != null ? broker.bootstrapServers() : config.bootstrapServers();
    try {
      createTopics(bootstrap, config);
      Properties props = StreamsProperties.of(config, bootstrap,
          config.dataDir().resolve("streams").resolve(config.instanceId()).toString());
      KafkaStreams streams = new KafkaStreams(
          TidecastTopology.build(config.topics(), config.catalog(), router, config.batch(), config.intervals(),
              events), props);
      streams.setUncaughtExceptionHandler(e -> {
        log.error("stream thread failed; replacing it", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      HostInfo self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
      ForecastQueries queries = new ForecastQueries(streams, self, config.catalog(), config.intervals());
      QueryServer server = new QueryServer(self.port(), queries);
      streams.start();
      awaitRunning(streams, Duration.ofSeconds(60));
      return new StreamsService(broker, streams, server, queries, bootstrap);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /**
   * Creates the readings, forecasts and dead-letter topics if they do not exist. Their records carry
   * event times, which may lie ahead of the clock: the topics take any timestamp (a broker's default
   * refuses one more than an hour ahead, and a refused forecast would stop the topology).
   */
  public static void createTopics(String bootstrap, ServiceConfig config) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics = config.topics().all().stream()
          .map(name -> new NewTopic(name, config.partitions(), (short) -1).configs(
              Map.of(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE))))
          .toList();
      for (var result : admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  private static void awaitRunning(KafkaStreams streams, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("streams did not start in " + timeout + "; state " + streams.state());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for streams", e);
      }
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ForecastQueries queries() {
    return queries;
  }

  public KafkaStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    queryServer.close();
    streams.close(Duration.ofSeconds(30));
    if (broker != null) {
      broker.close();
    }
  }
}

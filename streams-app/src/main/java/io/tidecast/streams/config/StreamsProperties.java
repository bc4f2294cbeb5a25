package io.tidecast.streams.config;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of the service, in one place: the operator's values win. */
public final class StreamsProperties {

  private StreamsProperties() {}

  /**
   * @param bootstrapServers the cluster (the embedded broker's address when embedded)
   * @param stateDir where RocksDB keeps this instance's stores
   */
  public static Properties of(ServiceConfig config, String bootstrapServers, String stateDir) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    // Exactly once from readings to forecasts; the commit interval bounds the latency it adds.
    props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
    props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // A forecast is a few kB of JSON: the default 16 kB batches would carry a handful each.
    props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(256 * 1024));
    // Static membership: a restarted instance takes its partitions back without a rebalance.
    props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.instanceId());
    props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "15000");
    props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + config.queryPort());
    props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(32L << 20));
    props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
    props.putIfAbsent(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
    // Changelog records carry the readings' event time, which may lie ahead of the clock (a replay,
    // a fast simulation, a sensor's clock): brokers refuse by default what is more than an hour ahead.
    props.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG),
        String.valueOf(Long.MAX_VALUE));
    return props;
  }
}

package io.tidecast.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.topology.IntervalSettings;
import io.tidecast.streams.topology.StoreNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastQueriesTest {

  /**
   * Kafka Streams refuses its stores until its threads run (and again while they rebalance); the
   * queries say so with the exception their callers turn into 503, not Kafka's own.
   */
  @Test
  void storesThatCannotBeReadNowAreAnIllegalStateNotAKafkaException(@TempDir Path dir) throws Exception {
    Topology topology = new Topology();
    topology.addSource("in", "in");
    topology.addProcessor("p", () -> new Processor<Object, Object, Object, Object>() {
      @Override
      public void process(Record<Object, Object> record) {}
    }, "in");
    for (String store : new String[] {StoreNames.LATEST_FORECAST, StoreNames.ACCURACY}) {
      topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
          Serdes.ByteArray()), "p");
    }
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.READINGS),
        Serdes.Bytes(), Serdes.ByteArray()), "p");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "queries-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("state")).toString());
    try (KafkaStreams notStarted = new KafkaStreams(topology, props)) {
      ForecastQueries queries = new ForecastQueries(notStarted, new HostInfo("localhost", 1),
          ServiceConfig.from(new Properties()).catalog(), IntervalSettings.DEFAULT);

      assertThat(queries.localCount()).isZero();
      assertThatThrownBy(queries::localSeries).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("store latest-forecast cannot be read now");
      for (ForecastQueries.View view : ForecastQueries.View.values()) {
        assertThatThrownBy(() -> queries.local(view, "s1")).isInstanceOf(IllegalStateException.class);
      }
    }
  }
}

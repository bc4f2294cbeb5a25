package io.tidecast.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.sim.Fleet;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  @Test
  void defaultsServeTheSimulatedFleetOnTheEmbeddedBroker() {
    ServiceConfig config = ServiceConfig.from(new Properties());

    assertThat(config.embedded()).isTrue();
    assertThat(config.modelKind()).isEqualTo("linear-ar");
    SeriesSettings unknown = config.catalog().settings("never-configured");
    assertThat(unknown.channels()).isEqualTo(Fleet.CHANNELS);
    assertThat(unknown.frequency()).isEqualTo(Frequency.HOURLY);
    assertThat(unknown.hop()).isEqualTo(1);
    assertThat(unknown.graceSteps()).isEqualTo(2);
    assertThat(config.topics()).isEqualTo(Topics.DEFAULT);
    // one native math thread, unless OMP_NUM_THREADS already says how many
    assertThat(config.nativeThreads()).isEqualTo(System.getenv("OMP_NUM_THREADS") == null ? 1 : 0);
  }

  @Test
  void nativeThreadsAreSetByPropertyAndNeverNegative() {
    Properties p = new Properties();
    p.setProperty("tidecast.native-threads", "2");
    assertThat(ServiceConfig.from(p).nativeThreads()).isEqualTo(2);
    p.setProperty("tidecast.native-threads", "-1");
    assertThatThrownBy(() -> ServiceConfig.from(p)).hasMessageContaining("tidecast.native-threads must be >= 0");
  }

  @Test
  void seriesConfiguredByIdOverrideTheDefaultsKeyByKey() {
    Properties p = new Properties();
    p.setProperty("tidecast.series.hop", "2");
    p.setProperty("tidecast.series.pump-3.channels", "flow, pressure");
    p.setProperty("tidecast.series.pump-3.frequency", "15min");
    p.setProperty("tidecast.series.pump-3.grace", "PT30M");
    p.setProperty("tidecast.series.pump-3.model", "seasonal-naive");

    SeriesCatalog catalog = ServiceConfig.from(p).catalog();
    SeriesSettings pump = catalog.settings("pump-3");

    assertThat(pump.channels()).containsExactly("flow", "pressure");
    assertThat(pump.frequency()).isEqualTo(Frequency.parse("15min"));
    assertThat(pump.graceSteps()).isEqualTo(2);
    assertThat(pump.hop()).as("from the defaults").isEqualTo(2);
    assertThat(pump.model()).isEqualTo("seasonal-naive");
    assertThat(catalog.models()).containsExactly("linear-ar", "seasonal-naive");
    assertThat(catalog.settings("other").channels()).isEqualTo(Fleet.CHANNELS);
  }

  @Test
  void refusesAnUnknownSeriesSetting() {
    Properties p = new Properties();
    p.setProperty("tidecast.series.pump-3.hopp", "2");

    assertThatThrownBy(() -> ServiceConfig.from(p)).hasMessageContaining("unknown series setting 'tidecast.series.pump-3.hopp'");
  }

  @Test
  void kafkaPropertiesWinOverTheDefaults() {
    Properties p = new Properties();
    p.setProperty("kafka.commit.interval.ms", "250");
    ServiceConfig config = ServiceConfig.from(p);

    Properties streams = StreamsProperties.of(config, "localhost:1", "/tmp/state");

    assertThat(streams.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
    assertThat(streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(streams.getProperty(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)))
        .as("static membership").isEqualTo("tidecast-1");
  }
}

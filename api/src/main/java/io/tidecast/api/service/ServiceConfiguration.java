package io.tidecast.api.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.tidecast.api.forecast.PastForecasts;
import io.tidecast.api.forecast.SeriesQueries;
import io.tidecast.api.model.ModelActivator;
import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.model.ModelTrainer;
import io.tidecast.api.system.TopologyMetrics;
import io.tidecast.streams.db.ForecastHistory;
import io.tidecast.streams.query.ForecastQueries;
import java.sql.SQLException;
import io.tidecast.streams.sim.Fleet;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/** The running service and what the web layer sees of it. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ServiceConfiguration.class);

  @Bean(destroyMethod = "close")
  TidecastService tidecastService(ConfigurableEnvironment environment, MeterRegistry meters) {
    TidecastService service = TidecastService.start(TidecastSettings.from(environment), new TopologyMetrics(meters));
    // Kafka Streams' own metrics (consumer lag among them), as kafka_* meters
    new KafkaStreamsMetrics(service.streams()).bindTo(meters);
    Gauge.builder("tidecast.database.rows", service, s -> s.writer().map(w -> (double) w.rowsWritten()).orElse(0.0))
        .description("rows stored by the database writer").register(meters);
    Gauge.builder("tidecast.store.series", service, s -> s.queries().localCount())
        .description("series in this instance's latest-forecast store").register(meters);
    return service;
  }

  /** Says where everything is, once the service is up. */
  @EventListener
  void ready(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    TidecastService service = event.getApplicationContext().getBean(TidecastService.class);
    String base = "http://localhost:" + env.getProperty("local.server.port", "8080");
    log.info("""

        Tidecast is running
          web page         {}/
          latest forecast  {}/api/v1/series/{}/forecast
          models           {}/api/v1/models
          API documents    {}/swagger-ui.html
          metrics          {}/actuator/prometheus
          Kafka            {}""",
        base, base, Fleet.sensorId(0), base, base, base, service.bootstrapServers());
  }

  @Bean
  ModelRegistry modelRegistry(TidecastService service) {
    return service.models();
  }

  @Bean
  SeriesQueries seriesQueries(TidecastService service) {
    ForecastQueries queries = service.queries();
    return new SeriesQueries() {
      @Override
      public Optional<byte[]> latest(String series) {
        return queries.latest(series);
      }

      @Override
      public Optional<byte[]> accuracy(String series) {
        return queries.get(ForecastQueries.View.ACCURACY, series);
      }

      @Override
      public Optional<byte[]> readings(String series) {
        return queries.get(ForecastQueries.View.READINGS, series);
      }

      @Override
      public List<String> series() {
        return queries.allSeries();
      }
    };
  }

  @Bean
  PastForecasts pastForecasts(TidecastService service) {
    return (series, from, to, limit) -> {
      ForecastHistory history = service.history().orElseThrow(() -> new IllegalStateException(
          "no database is configured (tidecast.database.url); past forecasts are not stored"));
      try {
        return history.forecasts(series, from, to, limit);
      } catch (SQLException e) {
        throw new IllegalStateException("the database cannot answer: " + e.getMessage(), e);
      }
    };
  }

  /** Up while the writer stores rows; down while its writes fail (it retries, losing nothing). */
  @Bean
  HealthIndicator databaseHealthIndicator(TidecastService service) {
    return () -> service.writer()
        .map(w -> (w.healthy() ? Health.up() : Health.down()).withDetail("rows", w.rowsWritten())
            .withDetail("failedWrites", w.failures()).build())
        .orElseGet(() -> Health.unknown().withDetail("database", "not configured").build());
  }

  @Bean
  ModelActivator modelActivator(TidecastService service) {
    return service::activate;
  }

  @Bean
  ModelTrainer modelTrainer(TidecastService service) {
    return service::train;
  }

  /** Up while the streams run; out of service while they start or rebalance; down when stopped. */
  @Bean
  HealthIndicator streamsHealthIndicator(TidecastService service) {
    return () -> {
      KafkaStreams.State state = service.state();
      Health.Builder health = switch (state) {
        case RUNNING -> Health.up();
        case CREATED, REBALANCING -> Health.outOfService();
        default -> Health.down();
      };
      return health.withDetail("state", state.name()).build();
    };
  }
}

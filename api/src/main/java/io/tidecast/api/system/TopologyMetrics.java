package io.tidecast.api.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidecast.streams.topology.TopologyEvents;
import java.util.concurrent.TimeUnit;

/**
 * The topology's events as Micrometer meters: {@code tidecast.readings.accepted},
 * {@code tidecast.dead.letters} (by {@code code}), {@code tidecast.forecasts} (by {@code model}),
 * {@code tidecast.batch.size} and {@code tidecast.model.latency} (by {@code model}).
 */
public final class TopologyMetrics implements TopologyEvents {

  private final MeterRegistry registry;
  private final Counter accepted;

  public TopologyMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = Counter.builder("tidecast.readings.accepted")
        .description("readings that passed validation").register(registry);
  }

  @Override
  public void accepted(String series) {
    accepted.increment();
  }

  @Override
  public void deadLettered(String code) {
    Counter.builder("tidecast.dead.letters").description("records sent to the dead-letter topic")
        .tag("code", code).register(registry).increment();
  }

  @Override
  public void served(String model, int forecasts, long nanos) {
    Counter.builder("tidecast.forecasts").description("forecasts issued").tag("model", model)
        .register(registry).increment(forecasts);
    DistributionSummary.builder("tidecast.batch.size").description("forecasts per model call")
        .tag("model", model).register(registry).record(forecasts);
    Timer.builder("tidecast.model.latency").description("time of one model call for a batch")
        .tag("model", model).publishPercentiles(0.5, 0.99).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}

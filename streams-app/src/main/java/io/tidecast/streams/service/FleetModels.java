package io.tidecast.streams.service;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.topology.ModelRouter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The model of the single-machine default: the configured kind, found through the model SPI, trained
 * at start-up on the simulated fleet's history ({@link #TRAINING_ROWS} hours, twelve weeks, of one sensor, the last two
 * selecting the epoch of models trained in epochs; under a second for the
 * baselines). Every series is served by it.
 */
public final class FleetModels {

  /** The simulated fleet every part of the default uses. */
  public static final Fleet FLEET = new Fleet(42, Frequency.HOURLY, Instant.parse("2026-01-05T00:00:00Z"));

  /** Steps of sensor 0 the model trains on; the live fleet starts after them. */
  public static final int TRAINING_ROWS = 12 * 7 * 24;

  /** The last of {@link #TRAINING_ROWS} that select a trained model's epoch. */
  static final int VALIDATION_ROWS = 2 * 7 * 24;

  private FleetModels() {}

  public static ModelRouter train(ServiceConfig config) {
    Forecaster model = train(config, config.modelKind(), config.modelKind(), config.modelOptions());
    return name -> {
      if (!name.equals(config.modelKind())) {
        throw new IllegalArgumentException("no model named " + name + "; this instance serves " + config.modelKind());
      }
      return model;
    };
  }

  /**
   * A model of {@code kind} served as {@code name}, trained on the fleet's history with the
   * configured window and horizon.
   *
   * @throws IllegalArgumentException for an unknown kind or option, or options the kind refuses
   */
  public static Forecaster train(ServiceConfig config, String name, String kind, Map<String, String> options) {
    TimeSeries history = FLEET.history(0, TRAINING_ROWS);
    ModelSettings settings = new ModelSettings(name, config.inputLength(), config.horizon(), List.of(), options);
    // the last two weeks select the epoch of models trained in epochs; the rest trains
    int trainRows = TRAINING_ROWS - VALIDATION_ROWS;
    return ModelKinds.load().train(kind, history.slice(0, trainRows),
        history.slice(trainRows - config.inputLength(), TRAINING_ROWS), settings);
  }
}

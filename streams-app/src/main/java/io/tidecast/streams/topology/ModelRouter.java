package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecaster;

/**
 * Which forecaster serves a model name right now. The topology asks once per batch, so a router
 * that swaps models takes effect at the next batch while the running one finishes on the old model.
 */
@FunctionalInterface
public interface ModelRouter {

  /**
   * @throws IllegalArgumentException if no model has that name
   */
  Forecaster forModel(String name);
}

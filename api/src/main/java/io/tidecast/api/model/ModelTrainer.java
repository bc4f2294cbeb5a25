package io.tidecast.api.model;

import java.util.Map;

/** Trains a new version of a model name and adds it to the registry (not active). */
@FunctionalInterface
public interface ModelTrainer {

  /**
   * @throws IllegalArgumentException for an unknown kind or an option the kind refuses
   */
  ModelVersion train(String name, String kind, Map<String, String> options);
}

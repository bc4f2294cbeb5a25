package io.tidecast.api.model;

/** Makes a version serve a model name, on every instance of the service. */
@FunctionalInterface
public interface ModelActivator {

  /**
   * @throws ModelException NOT_FOUND or REFUSED, as {@link ModelRegistry#activate}
   */
  ModelVersion activate(String name, String version);
}

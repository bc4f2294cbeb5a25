package io.tidecast.forecaster;

import java.util.Objects;

/** The model that made a forecast: its registered name and version. */
public record ModelId(String name, String version) {

  public ModelId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a model name must not be blank");
    }
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }
}

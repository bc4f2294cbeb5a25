package io.tidecast.zoo.checkpoint;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.spi.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The checkpoint {@link Registry} as the service's {@link ModelStore}. */
public final class RegistryStore implements ModelStore {

  @Override
  public List<Stored> list(Path root) {
    return new Registry(root).entries().stream()
        .map(e -> e.manifest() == null
            ? new Stored(e.name(), e.version(), null, null, e.problem())
            : new Stored(e.name(), e.version(), e.manifest().kind(), Checkpoints.toMap(e.manifest()), null))
        .toList();
  }

  @Override
  public Forecaster open(Path root, String name, String version) {
    if (!ModelStore.usableName(name) || !ModelStore.usableName(version)) {
      throw new IllegalArgumentException("not a usable model name and version: '" + name + "' '" + version + "'");
    }
    Path directory = root.resolve(name).resolve(version);
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("no saved model " + name + " version " + version + " in " + root);
    }
    try {
      return Checkpoints.open(directory);
    } catch (CheckpointException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}

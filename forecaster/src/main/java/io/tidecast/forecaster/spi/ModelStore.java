package io.tidecast.forecaster.spi;

import io.tidecast.forecaster.Forecaster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Saved models in a folder, by name and version: the service lists and opens them without naming
 * the module that writes them. Registered in {@code META-INF/services}; at most one on a class path.
 */
public interface ModelStore {

  /** Names and versions this store accepts: no path separators, no leading dot, at most 100 characters. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** One saved model, or the reason it cannot be read ({@code problem}, with {@code details} empty). */
  record Stored(String name, String version, String kind, Map<String, Object> details, String problem) {

    public Stored {
      details = details == null ? Map.of() : Map.copyOf(details);
    }
  }

  /** Every saved model under {@code root}, by name then version; an absent folder holds none. */
  List<Stored> list(Path root);

  /**
   * Verifies and rebuilds one saved model.
   *
   * @throws IllegalArgumentException saying why, if there is no such model or it is refused
   *     (altered, damaged, or of a kind no module on the class path restores)
   */
  Forecaster open(Path root, String name, String version);

  /** Whether {@code text} is a usable model name or version. */
  static boolean usableName(String text) {
    return text != null && NAME.matcher(text).matches() && !text.contains("..");
  }

  /** The store registered on the class path of {@code loader}, if any. */
  static Optional<ModelStore> load(ClassLoader loader) {
    List<ModelStore> stores = ServiceLoader.load(ModelStore.class, loader).stream()
        .map(ServiceLoader.Provider::get).toList();
    if (stores.size() > 1) {
      throw new IllegalStateException("more than one model store on the class path: " + stores);
    }
    return stores.stream().findFirst();
  }
}

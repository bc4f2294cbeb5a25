package io.tidecast.forecaster.spi;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The model kinds on the class path, by name. */
public final class ModelKinds {

  private final Map<String, ModelProvider> byKind;

  private ModelKinds(Map<String, ModelProvider> byKind) {
    this.byKind = Collections.unmodifiableMap(byKind);
  }

  /** Every provider registered through {@link ServiceLoader} on the given class loader. */
  public static ModelKinds load(ClassLoader loader) {
    return of(ServiceLoader.load(ModelProvider.class, loader).stream()
        .map(ServiceLoader.Provider::get).toList());
  }

  /** Every provider registered on the class path of this class. */
  public static ModelKinds load() {
    return load(ModelKinds.class.getClassLoader());
  }

  /**
   * A registry of the given providers.
   *
   * @throws IllegalStateException if two providers claim one kind
   */
  public static ModelKinds of(List<ModelProvider> providers) {
    Map<String, ModelProvider> byKind = new TreeMap<>();
    for (ModelProvider provider : providers) {
      ModelProvider previous = byKind.putIfAbsent(provider.kind(), provider);
      if (previous != null) {
        throw new IllegalStateException("model kind '" + provider.kind() + "' is registered twice: by "
            + previous.getClass().getName() + " and by " + provider.getClass().getName());
      }
    }
    return new ModelKinds(byKind);
  }

  /** Kind names, sorted. */
  public Set<String> kinds() {
    return byKind.keySet();
  }

  /**
   * @throws IllegalArgumentException naming the known kinds, if there is no such kind
   */
  public ModelProvider get(String kind) {
    ModelProvider provider = byKind.get(kind);
    if (provider == null) {
      throw new IllegalArgumentException("unknown model kind '" + kind + "'; known kinds: " + kinds());
    }
    return provider;
  }

  /**
   * Trains a model of a kind after checking its options.
   *
   * @throws IllegalArgumentException for an unknown kind or option
   */
  public Forecaster train(String kind, TimeSeries train, TimeSeries validation, ModelSettings settings) {
    ModelProvider provider = get(kind);
    Set<String> unknown = new HashSet<>(settings.options().keySet());
    unknown.removeAll(provider.options());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("model kind '" + kind + "' has no option(s) " + unknown
          + "; its options: " + provider.options());
    }
    return provider.train(train, validation, settings);
  }
}

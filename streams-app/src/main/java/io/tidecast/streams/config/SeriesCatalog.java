package io.tidecast.streams.config;

import java.util.Map;
import java.util.Set;

/** The settings of every series: those configured by id, and a default for all the others. */
public final class SeriesCatalog {

  private final SeriesSettings defaults;
  private final Map<String, SeriesSettings> bySeries;

  public SeriesCatalog(SeriesSettings defaults, Map<String, SeriesSettings> bySeries) {
    this.defaults = defaults;
    this.bySeries = Map.copyOf(bySeries);
  }

  public static SeriesCatalog of(SeriesSettings defaults) {
    return new SeriesCatalog(defaults, Map.of());
  }

  public SeriesSettings settings(String series) {
    return bySeries.getOrDefault(series, defaults);
  }

  public SeriesSettings defaults() {
    return defaults;
  }

  /** The series configured by id. */
  public Map<String, SeriesSettings> configured() {
    return bySeries;
  }

  /** The models any series may be bound to. */
  public Set<String> models() {
    java.util.Set<String> models = new java.util.TreeSet<>();
    models.add(defaults.model());
    bySeries.values().forEach(s -> models.add(s.model()));
    return models;
  }
}

package io.tidecast.api.service;

import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.db.Database;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The service's settings, read from Spring's environment (application properties, command-line
 * arguments, system properties): every {@code tidecast.*} and {@code kafka.*} property, as the
 * streams service reads them ({@link ServiceConfig}), plus the application's own:
 *
 * <table>
 *   <caption>Application properties</caption>
 *   <tr><td>{@code tidecast.models.dir}</td><td>the folder of saved models ({@code <data-dir>/models})</td></tr>
 *   <tr><td>{@code tidecast.fleet.enabled}</td><td>run the simulated fleet (on when the broker is embedded)</td></tr>
 *   <tr><td>{@code tidecast.fleet.sensors}, {@code .rate}</td><td>simulated sensors and readings per second (20, 20)</td></tr>
 *   <tr><td>{@code tidecast.database.url}, {@code .user}, {@code .password}</td><td>where readings and
 *       forecasts are stored; unset: on the single-machine default, the local PostgreSQL if it is
 *       reachable ({@code jdbc:postgresql://127.0.0.1:5432/tidecast}, user {@code postgres}, the
 *       database made if missing), else none</td></tr>
 *   <tr><td>{@code tidecast.database.enabled}</td><td>false: store nothing (true)</td></tr>
 *   <tr><td>{@code tidecast.topics.models}</td><td>the compacted topic of model activations
 *       ({@code tidecast.models})</td></tr>
 * </table>
 */
public record TidecastSettings(ServiceConfig streams, Path modelsDir, boolean fleet, int fleetSensors,
    double fleetRate, Database database, boolean databaseConfigured, String modelsTopic) {

  /** The database the single-machine default stores into when none is configured and it is reachable. */
  static final Database LOCAL = new Database("jdbc:postgresql://127.0.0.1:5432/tidecast", "postgres", null);

  /** Reads the settings; unset properties take their defaults. */
  public static TidecastSettings from(ConfigurableEnvironment environment) {
    Properties properties = new Properties();
    for (var source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if ((name.startsWith("tidecast.") || name.startsWith("kafka.")) && !properties.containsKey(name)) {
            String value = environment.getProperty(name);
            if (value != null) {
              properties.setProperty(name, value);
            }
          }
        }
      }
    }
    return from(properties);
  }

  static TidecastSettings from(Properties properties) {
    ServiceConfig streams = ServiceConfig.from(properties);
    String models = properties.getProperty("tidecast.models.dir");
    String fleet = properties.getProperty("tidecast.fleet.enabled");
    Database configured = Database.from(properties);
    boolean databaseEnabled = Boolean.parseBoolean(properties.getProperty("tidecast.database.enabled", "true").trim());
    Database database = !databaseEnabled ? null : configured != null ? configured : streams.embedded() ? LOCAL : null;
    return new TidecastSettings(streams,
        models == null || models.isBlank() ? streams.dataDir().resolve("models") : Path.of(models.trim()),
        fleet == null || fleet.isBlank() ? streams.embedded() : Boolean.parseBoolean(fleet.trim()),
        Integer.parseInt(properties.getProperty("tidecast.fleet.sensors", "20").trim()),
        Double.parseDouble(properties.getProperty("tidecast.fleet.rate", "20").trim()),
        database, configured != null,
        properties.getProperty("tidecast.topics.models", "tidecast.models").trim());
  }
}

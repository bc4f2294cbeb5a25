package io.tidecast.api.service;

import io.tidecast.streams.config.ServiceConfig;
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
 * </table>
 */
public record TidecastSettings(ServiceConfig streams, Path modelsDir, boolean fleet, int fleetSensors,
    double fleetRate) {

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
    return new TidecastSettings(streams,
        models == null || models.isBlank() ? streams.dataDir().resolve("models") : Path.of(models.trim()),
        fleet == null || fleet.isBlank() ? streams.embedded() : Boolean.parseBoolean(fleet.trim()),
        Integer.parseInt(properties.getProperty("tidecast.fleet.sensors", "20").trim()),
        Double.parseDouble(properties.getProperty("tidecast.fleet.rate", "20").trim()));
  }
}

package io.tidecast.streams.config;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.NativeThreads;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.topology.BatchSettings;
import io.tidecast.streams.topology.IntervalSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the streams service is configured with, read from {@code tidecast.*} properties; any
 * {@code kafka.*} property goes to Kafka Streams without the prefix and wins over the defaults.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><td>{@code tidecast.bootstrap-servers}</td><td>the Kafka cluster; unset: start the embedded broker</td></tr>
 *   <tr><td>{@code tidecast.embedded.port}</td><td>port of the embedded broker (9092)</td></tr>
 *   <tr><td>{@code tidecast.data-dir}</td><td>broker log and streams state ({@code ./data})</td></tr>
 *   <tr><td>{@code tidecast.application-id}</td><td>Kafka Streams application id ({@code tidecast})</td></tr>
 *   <tr><td>{@code tidecast.instance-id}</td><td>static group membership id of this instance ({@code tidecast-1})</td></tr>
 *   <tr><td>{@code tidecast.query.port}</td><td>port of the query endpoint between instances (7070)</td></tr>
 *   <tr><td>{@code tidecast.partitions}</td><td>partitions of the topics it creates (4)</td></tr>
 *   <tr><td>{@code tidecast.model.kind}</td><td>model kind serving every series ({@code linear-ar})</td></tr>
 *   <tr><td>{@code tidecast.model.input}, {@code .horizon}</td><td>window and horizon (96, 24)</td></tr>
 *   <tr><td>{@code tidecast.model.option.<key>}</td><td>an option of the model kind, such as
 *       {@code d-model} for {@code lmuformer}</td></tr>
 *   <tr><td>{@code tidecast.series.channels}, {@code .frequency}, {@code .hop}, {@code .grace},
 *       {@code .max-interpolated}</td><td>default series settings</td></tr>
 *   <tr><td>{@code tidecast.series.<id>.model}, {@code .channels}, ...</td><td>settings of one series
 *       (an id without dots); unset keys take the defaults</td></tr>
 *   <tr><td>{@code tidecast.batch.max-size}, {@code .max-wait-ms}</td><td>batching (256, 20)</td></tr>
 *   <tr><td>{@code tidecast.intervals.enabled}, {@code .coverage}, {@code .rate}</td><td>prediction
 *       intervals and online accuracy (true, 0.9, 0.05; see {@link IntervalSettings})</td></tr>
 *   <tr><td>{@code tidecast.accuracy.span}</td><td>errors the rolling accuracy weighs most (168)</td></tr>
 *   <tr><td>{@code tidecast.native-threads}</td><td>threads of the native math code (1; 0 leaves
 *       the library's own choice; unset while {@code OMP_NUM_THREADS} is set: 0, the variable
 *       decides); see {@link NativeThreads}</td></tr>
 * </table>
 */
public record ServiceConfig(
    String bootstrapServers,
    int embeddedPort,
    Path dataDir,
    String applicationId,
    String instanceId,
    int queryPort,
    int partitions,
    String modelKind,
    int inputLength,
    int horizon,
    Map<String, String> modelOptions,
    SeriesSettings series,
    Map<String, SeriesSettings> seriesOverrides,
    BatchSettings batch,
    IntervalSettings intervals,
    Topics topics,
    Map<String, String> kafka,
    int nativeThreads) {

  public ServiceConfig {
    if (nativeThreads < 0) {
      throw new IllegalArgumentException("tidecast.native-threads must be >= 0, got " + nativeThreads);
    }
    seriesOverrides = Map.copyOf(seriesOverrides);
    modelOptions = Map.copyOf(modelOptions);
    kafka = Map.copyOf(kafka);
  }

  /** The settings of every series: the configured ones and the default for the rest. */
  public SeriesCatalog catalog() {
    return new SeriesCatalog(series, seriesOverrides);
  }

  public boolean embedded() {
    return bootstrapServers == null || bootstrapServers.isBlank();
  }

  /** Reads a configuration; unset properties take the defaults above. */
  public static ServiceConfig from(Properties p) {
    String model = get(p, "tidecast.model.kind", "linear-ar");
    SeriesSettings series = new SeriesSettings(model,
        channels(get(p, "tidecast.series.channels", String.join(",", Fleet.CHANNELS))),
        Frequency.parse(get(p, "tidecast.series.frequency", "h")),
        Integer.parseInt(get(p, "tidecast.series.hop", "1")),
        Duration.parse(get(p, "tidecast.series.grace", "PT2H")),
        Integer.parseInt(get(p, "tidecast.series.max-interpolated", "3")));
    Map<String, SeriesSettings> overrides = new HashMap<>();
    for (String name : p.stringPropertyNames()) {
      String[] parts = name.split("\\.");
      if (parts.length == 4 && parts[0].equals("tidecast") && parts[1].equals("series")) {
        overrides.computeIfAbsent(parts[2], id -> override(p, id, series));
      }
    }
    BatchSettings batch = new BatchSettings(Integer.parseInt(get(p, "tidecast.batch.max-size", "256")),
        Duration.ofMillis(Long.parseLong(get(p, "tidecast.batch.max-wait-ms", "20"))));
    Map<String, String> modelOptions = new HashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("tidecast.model.option.")) {
        modelOptions.put(name.substring("tidecast.model.option.".length()), p.getProperty(name));
      }
    }
    Map<String, String> kafka = new HashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("kafka.")) {
        kafka.put(name.substring("kafka.".length()), p.getProperty(name));
      }
    }
    return new ServiceConfig(
        p.getProperty("tidecast.bootstrap-servers"),
        Integer.parseInt(get(p, "tidecast.embedded.port", "9092")),
        Path.of(get(p, "tidecast.data-dir", "data")),
        get(p, "tidecast.application-id", "tidecast"),
        get(p, "tidecast.instance-id", "tidecast-1"),
        Integer.parseInt(get(p, "tidecast.query.port", "7070")),
        Integer.parseInt(get(p, "tidecast.partitions", "4")),
        model,
        Integer.parseInt(get(p, "tidecast.model.input", "96")),
        Integer.parseInt(get(p, "tidecast.model.horizon", "24")),
        modelOptions, series, overrides, batch,
        new IntervalSettings(Boolean.parseBoolean(get(p, "tidecast.intervals.enabled", "true")),
            Double.parseDouble(get(p, "tidecast.intervals.coverage", "0.9")),
            Double.parseDouble(get(p, "tidecast.intervals.rate", "0.05")),
            Integer.parseInt(get(p, "tidecast.accuracy.span", "168"))),
        new Topics(get(p, "tidecast.topics.readings", Topics.DEFAULT.readings()),
            get(p, "tidecast.topics.forecasts", Topics.DEFAULT.forecasts()),
            get(p, "tidecast.topics.dead-letters", Topics.DEFAULT.deadLetters())),
        kafka,
        Integer.parseInt(get(p, "tidecast.native-threads",
            System.getenv("OMP_NUM_THREADS") == null ? "1" : "0")));
  }

  /**
   * Limits the native math code to {@link #nativeThreads()} threads (0: leaves it); call before
   * models are trained or loaded. One thread by default: the stream thread serves one batch at a
   * time, and the native library's spinning idle workers took the cores it and the broker need.
   */
  public void applyNativeThreads() {
    if (nativeThreads > 0) {
      NativeThreads.limit(nativeThreads);
    }
  }

  /**
   * The settings of one series, {@code tidecast.series.<id>.<key>} with key one of {@code model},
   * {@code channels}, {@code frequency}, {@code hop}, {@code grace}, {@code max-interpolated}; what is
   * not given comes from the defaults.
   */
  private static SeriesSettings override(Properties p, String id, SeriesSettings defaults) {
    String prefix = "tidecast.series." + id + ".";
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith(prefix) && !List.of("model", "channels", "frequency", "hop", "grace", "max-interpolated")
          .contains(name.substring(prefix.length()))) {
        throw new IllegalArgumentException("unknown series setting '" + name + "'; a series takes model, "
            + "channels, frequency, hop, grace, max-interpolated");
      }
    }
    String channels = p.getProperty(prefix + "channels");
    String frequency = p.getProperty(prefix + "frequency");
    String hop = p.getProperty(prefix + "hop");
    String grace = p.getProperty(prefix + "grace");
    String maxInterpolated = p.getProperty(prefix + "max-interpolated");
    return new SeriesSettings(get(p, prefix + "model", defaults.model()),
        channels == null ? defaults.channels() : channels(channels),
        frequency == null ? defaults.frequency() : Frequency.parse(frequency),
        hop == null ? defaults.hop() : Integer.parseInt(hop.trim()),
        grace == null ? defaults.grace() : Duration.parse(grace.trim()),
        maxInterpolated == null ? defaults.maxInterpolated() : Integer.parseInt(maxInterpolated.trim()));
  }

  private static List<String> channels(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String get(Properties p, String key, String fallback) {
    String value = p.getProperty(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}

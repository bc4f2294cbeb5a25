package io.tidecast.api.service;

import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.model.ModelVersion;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelStore;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.control.ActivationLog;
import io.tidecast.streams.db.Database;
import io.tidecast.streams.db.DatabaseWriter;
import io.tidecast.streams.db.ForecastHistory;
import io.tidecast.streams.query.ForecastQueries;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import io.tidecast.streams.sim.FleetRunner;
import io.tidecast.streams.topology.TopologyEvents;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the models (trained at start on the simulated fleet's history, and any saved
 * versions in the models folder), the streams service (with the embedded broker when no cluster is
 * configured) and the simulated fleet.
 */
public final class TidecastService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TidecastService.class);

  private final TidecastSettings settings;
  private final ModelRegistry models;
  private final StreamsService streams;
  private final FleetRunner fleet;
  private final DatabaseWriter writer;
  private ActivationLog activations;

  private TidecastService(TidecastSettings settings, ModelRegistry models, StreamsService streams, FleetRunner fleet,
      DatabaseWriter writer) {
    this.settings = settings;
    this.models = models;
    this.streams = streams;
    this.fleet = fleet;
    this.writer = writer;
  }

  /** Trains the configured model, starts the streams and, if enabled, the fleet. */
  public static TidecastService start(TidecastSettings settings, TopologyEvents events) {
    ServiceConfig config = settings.streams();
    config.applyNativeThreads();
    ModelRegistry models = new ModelRegistry(settings.modelsDir(),
        ModelStore.load(TidecastService.class.getClassLoader()).orElse(null));
    java.util.Set<String> kinds = ModelKinds.load(TidecastService.class.getClassLoader()).kinds();
    for (String name : config.catalog().models()) {
      // a series bound to a kind's name is served by that kind; any other name by the configured kind
      String kind = kinds.contains(name) ? name : config.modelKind();
      long started = System.nanoTime();
      Forecaster model = FleetModels.train(config, name, kind, config.modelOptions());
      models.add(model, kind, trainingDetails(config, kind, config.modelOptions()));
      log.info("model {} ({}) trained on the fleet's history in {} ms", model.id(), kind,
          (System.nanoTime() - started) / 1_000_000);
    }
    StreamsService streams = StreamsService.start(config, models, events);
    DatabaseWriter writer;
    try {
      writer = startWriter(settings, streams.bootstrapServers());
    } catch (RuntimeException e) {
      streams.close();
      throw e;
    }
    FleetRunner fleet = settings.fleet()
        ? FleetRunner.start(streams.bootstrapServers(), config.topics().readings(),
            config.dataDir().resolve("fleet-step"), settings.fleetSensors(), settings.fleetRate(), config.inputLength())
        : null;
    TidecastService service = new TidecastService(settings, models, streams, fleet, writer);
    try {
      service.activations = ActivationLog.start(streams.bootstrapServers(), settings.modelsTopic(), service::apply);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * Activates a version here and records the activation for every instance.
   *
   * @throws io.tidecast.api.model.ModelException if this instance cannot activate it
   */
  public ModelVersion activate(String name, String version) {
    ModelVersion active = models.activate(name, version);
    boolean trained = active.source().equals("trained");
    @SuppressWarnings("unchecked")
    Map<String, String> options = trained ? (Map<String, String>) active.details().get("options") : Map.of();
    activations.publish(new ActivationLog.Activation(name, version, trained ? active.kind() : null, options));
    return active;
  }

  /**
   * Follows an activation recorded by any instance: trains the version first if it is a trained
   * one this instance does not hold. One that cannot be followed is logged, and the active version
   * keeps serving here.
   */
  void apply(ActivationLog.Activation activation) {
    try {
      if (!models.names().contains(activation.name())) {
        log.warn("activation of {} {} ignored: no series here is served by {}", activation.name(),
            activation.version(), activation.name());
        return;
      }
      boolean held = models.versions(activation.name()).stream()
          .anyMatch(v -> v.version().equals(activation.version()));
      if (!held && activation.kind() != null) {
        Forecaster model = FleetModels.train(settings.streams(), activation.name(), activation.kind(), activation.options());
        if (!model.id().version().equals(activation.version())) {
          throw new IllegalStateException("training " + activation.kind() + " " + activation.options()
              + " here gives version " + model.id().version() + ", not " + activation.version());
        }
        models.add(model, activation.kind(), trainingDetails(settings.streams(), activation.kind(), activation.options()));
      }
      if (!models.active(activation.name()).version().equals(activation.version())) {
        models.activate(activation.name(), activation.version());
        log.info("model {} version {} activated", activation.name(), activation.version());
      }
    } catch (RuntimeException e) {
      log.error("cannot activate {} {} here ({}); the active version keeps serving", activation.name(),
          activation.version(), e.getMessage());
    }
  }

  /**
   * The writer, if a database is configured (it must be reachable) or the local one of the
   * single-machine default is reachable; else null.
   */
  private static DatabaseWriter startWriter(TidecastSettings settings, String bootstrap) {
    Database database = settings.database();
    if (database == null) {
      log.info("no database configured: readings and forecasts are not stored");
      return null;
    }
    try {
      if (!settings.databaseConfigured()) {
        database.createIfMissing();
      }
      DatabaseWriter writer = DatabaseWriter.start(database, settings.streams(), bootstrap);
      log.info("storing readings and forecasts in {}", database.url());
      return writer;
    } catch (SQLException e) {
      if (settings.databaseConfigured()) {
        throw new IllegalStateException("cannot use the database at " + database.url() + ": " + e.getMessage(), e);
      }
      log.info("no database reachable at {} ({}): readings and forecasts are not stored", database.url(),
          e.getMessage());
      return null;
    }
  }

  /** The writer, if readings and forecasts are stored. */
  public Optional<DatabaseWriter> writer() {
    return Optional.ofNullable(writer);
  }

  /** Past forecasts, if they are stored. */
  public Optional<ForecastHistory> history() {
    return writer == null ? Optional.empty() : Optional.of(new ForecastHistory(settings.database()));
  }

  /**
   * Trains a model of {@code kind} on the fleet's history for {@code name} and adds it as a version
   * (not active).
   */
  public ModelVersion train(String name, String kind, Map<String, String> options) {
    models.versions(name); // the name must exist
    Forecaster model = FleetModels.train(settings.streams(), name, kind, options);
    return models.add(model, kind, trainingDetails(settings.streams(), kind, options));
  }

  static Map<String, Object> trainingDetails(ServiceConfig config, String kind, Map<String, String> options) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("kind", kind);
    details.put("options", Map.copyOf(options));
    details.put("input", config.inputLength());
    details.put("horizon", config.horizon());
    details.put("data", "simulated fleet, sensor 0, " + FleetModels.TRAINING_ROWS + " hourly steps");
    return details;
  }

  public TidecastSettings settings() {
    return settings;
  }

  public ModelRegistry models() {
    return models;
  }

  public ForecastQueries queries() {
    return streams.queries();
  }

  public KafkaStreams streams() {
    return streams.streams();
  }

  public KafkaStreams.State state() {
    return streams.streams().state();
  }

  public String bootstrapServers() {
    return streams.bootstrapServers();
  }

  @Override
  public void close() {
    if (activations != null) {
      activations.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    streams.close();
    if (writer != null) {
      writer.close();
    }
  }
}

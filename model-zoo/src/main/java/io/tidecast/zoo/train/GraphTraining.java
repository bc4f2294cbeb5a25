package io.tidecast.zoo.train;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.data.Windows;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a {@link GraphKind} on the training rows of a series, selecting the epoch on the
 * validation rows: the part {@code zoo train} and the kinds' providers share.
 */
public final class GraphTraining {

  /** The training options every graph kind takes. */
  public static final Set<String> SCHEDULE = Set.of("epochs", "batch-size", "lr", "patience",
      "seed", "max-steps", "micro-batch", "threads");

  private final GraphKind kind;
  private final ModelSettings settings;
  private final TimeSeries train;
  private final StandardScaler scaler;
  private final int[] inputs;
  private final int[] outputs;
  private final List<String> targets;
  private final long seed;
  private final GraphModel model;

  /**
   * @param train the training rows; the scaler is fit on these only
   * @throws IllegalArgumentException for an option the kind does not know, or a bad value
   */
  public GraphTraining(GraphKind kind, TimeSeries train, ModelSettings settings) {
    Set<String> unknown = new TreeSet<>(settings.options().keySet());
    unknown.removeAll(kind.options().keySet());
    unknown.removeAll(SCHEDULE);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(kind.kind() + " has no option " + unknown + "; it takes "
          + new TreeSet<>(kind.options().keySet()) + " and " + new TreeSet<>(SCHEDULE));
    }
    this.kind = kind;
    this.settings = settings;
    this.train = train;
    this.targets = settings.targets().isEmpty() ? train.channels() : settings.targets();
    this.inputs = Windows.indices(train, train.channels());
    this.outputs = Windows.indices(train, targets);
    this.scaler = StandardScaler.fit(train.values(), 0, train.length());
    this.seed = Long.parseLong(settings.options().getOrDefault("seed", "1").trim());
    Map<String, String> architecture = new TreeMap<>();
    kind.options().forEach((key, value) -> {
      if (value != null) {
        architecture.put(key, value);
      }
    });
    architecture.putAll(settings.options());
    this.model = kind.build(new ModelSettings(settings.name(), settings.inputLength(),
        settings.horizon(), settings.targets(), architecture), train, seed);
  }

  /** The kind registered as {@code name}. */
  public static GraphKind kind(String name) {
    return kinds().stream().filter(k -> k.kind().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trainable model kind '" + name
            + "'; there are " + kinds().stream().map(GraphKind::kind).sorted().toList()));
  }

  public static List<GraphKind> kinds() {
    return ServiceLoader.load(GraphKind.class, GraphKind.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  public GraphModel model() {
    return model;
  }

  public StandardScaler scaler() {
    return scaler;
  }

  public long seed() {
    return seed;
  }

  /** The windows of {@code rows} (any split), scaled with the training statistics. */
  public Windows windows(TimeSeries rows) {
    return new Windows(rows, scaler, inputs, outputs, settings.inputLength(), settings.horizon(),
        model.calendar(rows));
  }

  /** The schedule: options given, else the kind's defaults. */
  public Trainer.Settings schedule() {
    int batch = intOption("batch-size");
    int micro = intOption("micro-batch");
    int threads = intOption("threads");
    if (threads > 1 && micro == 0) {
      throw new IllegalArgumentException("threads " + threads + " run parts of a batch side by"
          + " side: give micro-batch too (a part's size, such as " + batch / threads + ")");
    }
    return new Trainer.Settings(intOption("epochs"), batch, doubleOption("lr"),
        intOption("patience"), seed, intOption("max-steps"), micro == 0 ? batch : micro, threads);
  }

  /** Trains, leaving the model at its best epoch. */
  public List<Trainer.Epoch> run(TimeSeries validation, Trainer.Listener listener) {
    return new Trainer(model.graph(), listener).train(windows(train), windows(validation),
        schedule());
  }

  public Trainer.Errors evaluate(TimeSeries rows, Trainer.Listener listener) {
    return new Trainer(model.graph(), listener).evaluate(windows(rows), schedule().microBatch(),
        schedule().threads());
  }

  /**
   * Eight hex digits of a SHA-256 over the kind, the config and every weight: two models with the
   * same fingerprint compute the same function (to a vanishing chance of collision).
   */
  public String fingerprint() {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      digest.update((kind.kind() + new TreeMap<>(model.config())).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> w
          : new TreeMap<>(model.graph().weights()).entrySet()) {
        digest.update(w.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * (int) w.getValue().length());
        bytes.asFloatBuffer().put(w.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
            .dup().reshape(w.getValue().length()).toFloatVector());
        digest.update(bytes.array());
      }
      return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The trained model in serving form, named {@code name}, version {@code version}. */
  public WindowForecaster forecaster(String name, String version) {
    ForecasterSpec spec = new ForecasterSpec(settings.inputLength(), settings.horizon(),
        train.channels(), targets, train.frequency());
    return model.forecaster(new ModelId(name, version), spec, scaler);
  }

  /** Every option in effect: given or default, architecture and schedule. */
  public Map<String, String> effectiveOptions() {
    Map<String, String> all = new TreeMap<>(defaults());
    kind.options().forEach((key, value) -> {
      if (value != null) {
        all.put(key, value);
      }
    });
    all.putAll(settings.options());
    return all;
  }

  private Map<String, String> defaults() {
    Map<String, String> d = new TreeMap<>(Map.of("epochs", "6", "batch-size", "32", "lr", "1e-4",
        "patience", "3", "seed", "1", "max-steps", String.valueOf(Integer.MAX_VALUE),
        "micro-batch", "0", "threads", "1"));
    d.putAll(kind.schedule());
    return d;
  }

  private int intOption(String key) {
    return settings.intOption(key, Integer.parseInt(defaults().get(key)));
  }

  private double doubleOption(String key) {
    return settings.doubleOption(key, Double.parseDouble(defaults().get(key)));
  }
}

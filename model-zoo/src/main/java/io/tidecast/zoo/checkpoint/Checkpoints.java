package io.tidecast.zoo.checkpoint;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.WindowForecaster;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writing, verifying and reading checkpoints. A checkpoint is a directory holding
 * {@value #MANIFEST} and {@value #WEIGHTS}; the manifest records the SHA-256 of the weights, and a
 * checkpoint whose files do not match it is refused.
 */
public final class Checkpoints {

  /** The format this build writes and the newest it reads. */
  public static final int FORMAT = 1;
  public static final String MANIFEST = "manifest.json";
  public static final String WEIGHTS = "weights.bin";

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Checkpoints() {}

  /**
   * Writes a checkpoint into {@code directory}, which must not exist or be empty. The files are
   * written into a sibling first and moved into place, so a reader never sees half a checkpoint.
   *
   * @return the manifest as written, with the file hashes
   */
  public static Manifest save(Path directory, Manifest manifest, Map<String, INDArray> weights) {
    try {
      if (Files.isDirectory(directory)) {
        try (Stream<Path> entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            throw new CheckpointException("will not overwrite the checkpoint in " + directory);
          }
        }
        Files.delete(directory);
      }
      Path parent = directory.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path staging = Files.createTempDirectory(parent, "." + directory.getFileName() + "-");
      TensorFile.write(staging.resolve(WEIGHTS), new TreeMap<>(weights));
      Manifest written = manifest.withFiles(Map.of(WEIGHTS, sha256(staging.resolve(WEIGHTS))));
      JSON.writeValue(staging.resolve(MANIFEST).toFile(), written);
      Files.move(staging, directory);
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + directory, e);
    }
  }

  /** The manifest alone, unverified: for listings. */
  public static Manifest manifest(Path directory) {
    Path file = directory.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(directory + " is not a checkpoint: it has no " + MANIFEST);
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(file.toFile(), Manifest.class);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new CheckpointException("the manifest of " + directory + " cannot be read: "
          + e.getMessage(), e);
    }
    if (manifest.format() < 1 || manifest.format() > FORMAT) {
      throw new CheckpointException(directory + " has checkpoint format " + manifest.format()
          + "; this build reads formats 1 to " + FORMAT);
    }
    return manifest;
  }

  /**
   * Reads a checkpoint after checking every file against the manifest's hashes.
   *
   * @throws CheckpointException naming the file, if anything is missing, altered or damaged
   */
  public static Checkpoint load(Path directory) {
    Manifest manifest = manifest(directory);
    if (!manifest.files().containsKey(WEIGHTS)) {
      throw new CheckpointException(directory + ": the manifest lists no " + WEIGHTS);
    }
    for (Map.Entry<String, String> f : manifest.files().entrySet()) {
      Path file = directory.resolve(f.getKey()).normalize();
      if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
        throw new CheckpointException("checkpoint " + directory + " refused: " + f.getKey()
            + " is missing");
      }
      String actual = sha256(file);
      if (!actual.equalsIgnoreCase(f.getValue())) {
        throw new CheckpointException("checkpoint " + directory + " refused: " + f.getKey()
            + " has SHA-256 " + actual + " but the manifest records " + f.getValue()
            + " (the file was altered or damaged)");
      }
    }
    try {
      return new Checkpoint(directory, manifest, TensorFile.read(directory.resolve(WEIGHTS)));
    } catch (IOException e) {
      throw new CheckpointException("checkpoint " + directory + " refused: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a trained window model of {@code kind}: the manifest (its config, channels,
   * frequency, scaler, data fingerprint, training settings and metrics) and its weights.
   *
   * @param config everything the kind's {@link Restorer} needs to rebuild the model
   */
  public static Manifest save(Path directory, String kind, Map<String, Object> config,
      WindowForecaster model, Map<String, INDArray> weights, Manifest.DataFingerprint data,
      Map<String, Object> training, Map<String, Double> metrics) {
    ForecasterSpec spec = model.spec();
    StandardScaler scaler = model.scaler();
    Manifest manifest = new Manifest(FORMAT, kind, model.id().name(), model.id().version(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), config, spec.inputChannels(),
        spec.outputChannels(), spec.frequency().code(),
        new Manifest.Scaler(scaler.mean(), scaler.std()), data, training, metrics, null);
    return save(directory, manifest, weights);
  }

  /**
   * Loads, verifies and rebuilds the forecaster of a checkpoint through the {@link Restorer}
   * registered for its kind.
   */
  public static Forecaster open(Path directory) {
    Checkpoint checkpoint = load(directory);
    String kind = checkpoint.manifest().kind();
    return ServiceLoader.load(Restorer.class, Checkpoints.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .filter(r -> r.kind().equals(kind))
        .findFirst()
        .orElseThrow(() -> new CheckpointException(directory + " holds a model of kind '" + kind
            + "', which no module on the class path restores"))
        .restore(checkpoint);
  }

  /** The manifest as JSON text. */
  public static String json(Manifest manifest) {
    return JSON.writeValueAsString(manifest);
  }

  /** A plain value (a config record) as the map a manifest stores. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(Object value) {
    return JSON.convertValue(value, Map.class);
  }

  /** A manifest's config map back as a typed value. */
  public static <T> T fromMap(Map<String, Object> map, Class<T> type) {
    try {
      return JSON.convertValue(map, type);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new CheckpointException("the config does not describe a " + type.getSimpleName()
          + ": " + e.getMessage(), e);
    }
  }

  /** The fingerprint of rows {@code [from, to)} of a series. */
  public static Manifest.DataFingerprint fingerprint(String source, TimeSeries series) {
    MessageDigest digest = sha256();
    ByteBuffer row = ByteBuffer.allocate(8 * (1 + series.channels().size()));
    for (String channel : series.channels()) {
      digest.update(channel.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    double[][] values = series.values();
    for (int t = 0; t < series.length(); t++) {
      row.clear();
      row.putLong(series.timestamps()[t].toEpochMilli());
      for (double v : values[t]) {
        row.putDouble(v);
      }
      digest.update(row.array());
    }
    return new Manifest.DataFingerprint(source, series.length(),
        series.timestamps()[0].toString(), series.timestamps()[series.length() - 1].toString(),
        HexFormat.of().formatHex(digest.digest()));
  }

  static String sha256(Path file) {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (var in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}

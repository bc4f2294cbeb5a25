package io.tidecast.zoo.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint says about itself: enough to rebuild the model without any other input, and
 * the hash of every file so that a damaged or altered checkpoint is refused.
 *
 * @param format the checkpoint format version ({@link Checkpoints#FORMAT})
 * @param kind the model kind, such as {@code informer}
 * @param name the model name it is served under
 * @param version the model version
 * @param created when it was written, ISO-8601
 * @param config the model's full architecture configuration
 * @param inputChannels channels a window must carry, in order
 * @param outputChannels channels a forecast carries, in order
 * @param frequency the sampling frequency code, such as {@code h} or {@code 15min}
 * @param scaler the training rows' statistics of the input channels
 * @param data where the training rows came from, and their fingerprint
 * @param training how it was trained (seed, schedule, epochs run)
 * @param metrics evaluation figures, such as {@code test.mse}
 * @param files the SHA-256 of every other file in the checkpoint, by file name
 */
public record Manifest(int format, String kind, String name, String version, String created,
    Map<String, Object> config, List<String> inputChannels, List<String> outputChannels,
    String frequency, Scaler scaler, DataFingerprint data, Map<String, Object> training,
    Map<String, Double> metrics, Map<String, String> files) {

  public Manifest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    config = Map.copyOf(Objects.requireNonNull(config, "config"));
    inputChannels = List.copyOf(inputChannels);
    outputChannels = List.copyOf(outputChannels);
    Objects.requireNonNull(frequency, "frequency");
    Objects.requireNonNull(scaler, "scaler");
    training = training == null ? Map.of() : Map.copyOf(training);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    files = files == null ? Map.of() : Map.copyOf(files);
  }

  /** The same manifest listing {@code newFiles}. */
  public Manifest withFiles(Map<String, String> newFiles) {
    return new Manifest(format, kind, name, version, created, config, inputChannels,
        outputChannels, frequency, scaler, data, training, metrics, newFiles);
  }

  /** Per-channel mean and standard deviation of the training rows, input-channel order. */
  public record Scaler(double[] mean, double[] std) {}

  /**
   * The training rows: their source, how many, the first and last timestamp, and the SHA-256 of
   * their timestamps and values, so a model can be traced to exactly the data it saw.
   */
  public record DataFingerprint(String source, int rows, String from, String to, String sha256) {}
}

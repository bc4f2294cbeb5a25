package io.tidecast.zoo.train;

import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import java.util.Map;

/**
 * A model kind trained as a SameDiff graph by {@link Trainer}: what {@code zoo train --model} and
 * the kind's {@code ModelProvider} build. Registered in
 * {@code META-INF/services/io.tidecast.zoo.train.GraphKind}, so modules above the zoo add kinds
 * that the zoo never names.
 */
public interface GraphKind {

  /** The registered name, as in manifests and {@code --model}. */
  String kind();

  String description();

  /**
   * The architecture options it reads, with their defaults as text (null where the default
   * derives from other settings); {@link #build} sees every default filled in. The training
   * options of {@link GraphTraining#SCHEDULE} come on top, with the defaults of
   * {@link #schedule()}.
   */
  Map<String, String> options();

  /** Defaults of this kind for the training options ({@code epochs}, {@code lr}, ...). */
  Map<String, String> schedule();

  /**
   * A freshly initialised model.
   *
   * @param settings window sizes, targets and options (checked against {@link #options()},
   *     defaults filled in)
   * @param train the training rows, for channels and frequency
   * @param seed for initialisation and anything random the model fixes at build time
   * @throws IllegalArgumentException if the options do not describe a model
   */
  GraphModel build(ModelSettings settings, TimeSeries train, long seed);
}

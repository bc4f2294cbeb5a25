package io.tidecast.forecaster.spi;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import java.util.Set;

/**
 * A model kind, registered by a model module in
 * {@code META-INF/services/io.tidecast.forecaster.spi.ModelProvider}. The service finds kinds by
 * name through {@link ModelKinds} and never names a model class.
 */
public interface ModelProvider {

  /** The kind's registered name, lower case with dashes, such as {@code seasonal-naive}. */
  String kind();

  /** One sentence for listings. */
  String description();

  /** The option keys {@link #train} understands; anything else is refused. */
  Set<String> options();

  /**
   * Builds a forecaster from training rows.
   *
   * @param train the training rows; scaling statistics come from these only
   * @param validation rows for model selection, or null
   * @param settings window sizes, targets and options
   * @throws IllegalArgumentException if the settings or the data do not suit this kind
   */
  Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings);
}

package io.tidecast.zoo.train;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelProvider;
import io.tidecast.forecaster.spi.ModelSettings;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link ModelProvider} of a {@link GraphKind}: trains it with its schedule on the training
 * rows, selecting the epoch on the validation rows, and serves the best epoch. The version of
 * the model it returns is {@code seed-<seed>-<fingerprint>} ({@link GraphTraining#fingerprint}),
 * so that a model trained with other settings or data never passes for this one.
 */
public abstract class GraphProvider implements ModelProvider {

  private static final System.Logger LOG = System.getLogger(GraphProvider.class.getName());

  private final GraphKind kind;

  protected GraphProvider(GraphKind kind) {
    this.kind = kind;
  }

  @Override
  public final String kind() {
    return kind.kind();
  }

  @Override
  public final String description() {
    return kind.description();
  }

  @Override
  public final Set<String> options() {
    Set<String> all = new TreeSet<>(kind.options().keySet());
    all.addAll(GraphTraining.SCHEDULE);
    return all;
  }

  @Override
  public final Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings) {
    if (validation == null) {
      throw new IllegalArgumentException(kind.kind()
          + " selects its epoch on validation rows; none given");
    }
    GraphTraining training = new GraphTraining(kind, train, settings);
    training.run(validation, line -> LOG.log(System.Logger.Level.INFO, line));
    return training.forecaster(settings.name(),
        "seed-" + training.seed() + "-" + training.fingerprint());
  }
}

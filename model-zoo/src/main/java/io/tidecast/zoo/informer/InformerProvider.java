package io.tidecast.zoo.informer;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelProvider;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.train.Trainer;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Registers {@code informer}: trains an Informer with the reference schedule on the training rows,
 * selecting the epoch on the validation rows. Options (reference defaults): {@code label} (half
 * the input), {@code d-model} 512, {@code heads} 8, {@code d-ff} 2048, {@code e-layers} 2,
 * {@code d-layers} 1, {@code factor} 5, {@code dropout} 0.05, {@code stack} 1 (InformerStack:
 * 2 or more encoders), {@code embed} timeF (or fixed), {@code epochs} 6, {@code batch-size}
 * 32, {@code lr} 1e-4, {@code patience} 3, {@code seed} 1, {@code max-steps} (per epoch, no cap).
 */
public final class InformerProvider implements ModelProvider {

  private static final System.Logger LOG = System.getLogger(InformerProvider.class.getName());

  @Override
  public String kind() {
    return InformerCheckpoint.KIND;
  }

  @Override
  public String description() {
    return "Informer: ProbSparse self-attention, distilling encoder, generative decoder";
  }

  @Override
  public Set<String> options() {
    return Set.of("label", "d-model", "heads", "d-ff", "e-layers", "d-layers", "factor",
        "dropout", "stack", "embed", "epochs", "batch-size", "lr", "patience", "seed", "max-steps");
  }

  @Override
  public Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings) {
    if (validation == null) {
      throw new IllegalArgumentException("informer selects its epoch on validation rows; none given");
    }
    List<String> outputs = settings.targets().isEmpty() ? train.channels() : settings.targets();
    int[] in = Windows.indices(train, train.channels());
    int[] out = Windows.indices(train, outputs);
    int input = settings.inputLength();
    CalendarEmbedding calendar = CalendarEmbedding.parse(
        settings.options().getOrDefault("embed", CalendarEmbedding.TIME_F.code()));
    InformerConfig config = new InformerConfig(input, settings.intOption("label", input / 2),
        settings.horizon(), in.length, in.length, out.length,
        calendar.size(train.frequency()), settings.intOption("d-model", 512),
        settings.intOption("heads", 8), settings.intOption("e-layers", 2),
        settings.intOption("d-layers", 1), settings.intOption("d-ff", 2048),
        settings.intOption("factor", 5), settings.doubleOption("dropout", 0.05), true, true,
        settings.intOption("stack", 1), calendar.code());
    long seed = settings.intOption("seed", 1);
    Trainer.Settings schedule = new Trainer.Settings(
        settings.intOption("epochs", 6), settings.intOption("batch-size", 32),
        settings.doubleOption("lr", 1e-4), settings.intOption("patience", 3), seed,
        settings.intOption("max-steps", Integer.MAX_VALUE));
    StandardScaler scaler = StandardScaler.fit(train.values(), 0, train.length());
    InformerGraph graph = InformerGraph.build(config, DataType.FLOAT, seed);
    new Trainer(graph, line -> LOG.log(System.Logger.Level.INFO, line)).train(
        new Windows(train, scaler, in, out, input, settings.horizon(),
            calendar.encode(train.frequency(), train.timestamps())),
        new Windows(validation, scaler, in, out, input, settings.horizon(),
            calendar.encode(validation.frequency(), validation.timestamps())), schedule);
    return forecaster(settings.name(), "seed-" + seed, graph, scaler, train, outputs);
  }

  /**
   * The serving form of a trained graph: the same weights in a graph without dropout.
   *
   * @param series the training rows (for channel names and frequency)
   */
  public static InformerForecaster forecaster(String name, String version, InformerGraph trained,
      StandardScaler scaler, TimeSeries series, List<String> outputs) {
    InformerGraph serving = InformerGraph.build(trained.config().forInference(), DataType.FLOAT,
        trained.seed());
    serving.load(trained.weights());
    ForecasterSpec spec = new ForecasterSpec(trained.config().inputLength(),
        trained.config().horizon(), series.channels(), outputs, series.frequency());
    return new InformerForecaster(new ModelId(name, version), spec, scaler, serving);
  }
}

package io.tidecast.zoo.informer;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.train.GraphProvider;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Registers {@code informer}: trains an Informer with the reference schedule on the training rows,
 * selecting the epoch on the validation rows. Options (reference defaults): {@code label} (half
 * the input), {@code d-model} 512, {@code heads} 8, {@code d-ff} 2048, {@code e-layers} 2,
 * {@code d-layers} 1, {@code factor} 5, {@code dropout} 0.05, {@code stack} 1 (InformerStack:
 * 2 or more encoders), {@code embed} timeF (or fixed), {@code epochs} 6, {@code batch-size}
 * 32, {@code lr} 1e-4, {@code patience} 3, {@code seed} 1, {@code max-steps} (per epoch, no cap).
 */
public final class InformerProvider extends GraphProvider {

  public InformerProvider() {
    super(new InformerKind());
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

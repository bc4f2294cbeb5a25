package io.tidecast.zoo.informer;

import io.tidecast.forecaster.DenseArrays;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.WindowForecaster;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained Informer serving batches of windows: one eager forward pass per batch
 * ({@link InformerInference}), in inference mode (batch norm on its running statistics, no
 * dropout), with the ProbSparse key samples fixed by the model's seed, so a window always gets the
 * same forecast. Each call runs in a reused workspace, so serving does not grow the process.
 */
public final class InformerForecaster extends WindowForecaster {

  private final InformerGraph graph;
  private final InformerInference inference;
  private final Function<Instant, double[]> calendar;
  private final String workspace = "informer-" + Integer.toHexString(System.identityHashCode(this));

  /**
   * @param graph the trained graph; the forecaster owns it from here on
   * @param scaler the training rows' statistics of the input channels
   */
  public InformerForecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler,
      InformerGraph graph) {
    super(id, spec, scaler, targetIndices(spec));
    InformerConfig c = graph.config();
    if (c.inputLength() != spec.inputLength() || c.horizon() != spec.horizon()
        || c.encoderChannels() != spec.inputChannels().size()
        || c.outputChannels() != spec.outputChannels().size()) {
      throw new IllegalArgumentException("graph " + c + " does not fit " + spec);
    }
    this.graph = graph;
    this.calendar = c.calendar().encoder(spec.frequency());
    this.inference = new InformerInference(c, graph.weights(), graph.seed());
  }

  public InformerGraph graph() {
    return graph;
  }

  @Override
  protected double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows) {
    int batch = inputs.length;
    InformerConfig c = graph.config();
    int features = c.timeFeatures();
    float[] values = new float[batch * c.inputLength() * c.encoderChannels()];
    float[] time = new float[batch * c.inputLength() * features];
    float[] future = new float[batch * c.horizon() * features];
    for (int b = 0; b < batch; b++) {
      SeriesWindow window = windows.get(b);
      for (int t = 0; t < c.inputLength(); t++) {
        int at = (b * c.inputLength() + t) * c.encoderChannels();
        for (int ch = 0; ch < c.encoderChannels(); ch++) {
          values[at + ch] = (float) inputs[b][t][ch];
        }
        put(calendar.apply(window.timestamps()[t]), time,
            (b * c.inputLength() + t) * features);
      }
      for (int h = 0; h < c.horizon(); h++) {
        put(calendar.apply(spec().frequency().plus(window.end(), h + 1L)), future,
            (b * c.horizon() + h) * features);
      }
    }
    double[][][] out = new double[batch][c.horizon()][c.outputChannels()];
    // One workspace per model and thread: the first call sizes it, later calls reuse its memory.
    try (MemoryWorkspace ws = InferenceWorkspace.open(workspace)) {
      INDArray forecast = inference.forward(array(values, batch, c.inputLength(),
          c.encoderChannels()), array(time, batch, c.inputLength(), features),
          array(future, batch, c.horizon(), features));
      float[] flat = DenseArrays.floats(forecast);
      for (int b = 0; b < batch; b++) {
        for (int h = 0; h < c.horizon(); h++) {
          for (int o = 0; o < c.outputChannels(); o++) {
            out[b][h][o] = flat[(b * c.horizon() + h) * c.outputChannels() + o];
          }
        }
      }
    }
    return out;
  }

  private static void put(double[] row, float[] into, int at) {
    for (int i = 0; i < row.length; i++) {
      into[at + i] = (float) row[i];
    }
  }

  private static INDArray array(float[] data, int batch, int length, int width) {
    return DenseArrays.matrix(data, batch * length, width).reshape(batch, length, width);
  }
}

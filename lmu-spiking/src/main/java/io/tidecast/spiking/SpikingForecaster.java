package io.tidecast.spiking;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.StreamingForecaster;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.eval.ModelReport;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained spiking LMUFormer in both forms: whole windows through the parallel graph, every
 * neuron at rest at the window's start ({@link #forecast(List)}, the form that is trained and
 * evaluated); and one reading at a time through the stepper ({@link StreamingForecaster}), whose
 * neurons run on from the stream's first reading, as a spiking network does. The two agree to
 * float precision wherever the neurons' state from before the window has died away; the stepper
 * is exactly the parallel graph run over the whole stream ({@link SpikingGraph#chunk}).
 */
public final class SpikingForecaster extends WindowForecaster
    implements StreamingForecaster<SpikingState>, ModelReport {

  private final SpikingGraph graph;
  private final SpikingStepper stepper;

  /** @param graph the trained graph, built {@link SpikingConfig#forInference() for inference} */
  public SpikingForecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler,
      SpikingGraph graph) {
    super(id, spec, scaler, targetIndices(spec));
    var c = graph.config().lmu();
    if (spec.inputLength() != c.inputLength() || spec.horizon() != c.horizon()
        || spec.inputChannels().size() != c.inputChannels()
        || !c.targets().equals(Arrays.stream(targetIndices(spec)).boxed().toList())) {
      throw new IllegalArgumentException(spec + " does not fit " + graph.config());
    }
    this.graph = graph;
    this.stepper = new SpikingStepper(graph.config(), graph.weights());
  }

  public SpikingStepper stepper() {
    return stepper;
  }

  public SpikingGraph graph() {
    return graph;
  }

  @Override
  protected double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows) {
    INDArray values = Nd4j.createFromArray(inputs).castTo(DataType.FLOAT);
    INDArray out = Sessions.output(graph.sameDiff(), Layers.dropoutOff(graph.sameDiff(),
        Map.of(SpikingGraph.VALUES, values, TrainableGraph.TRAINING,
            Nd4j.zeros(DataType.FLOAT, 1))), TrainableGraph.FORECAST)
        .get(TrainableGraph.FORECAST);
    double[][][] result = new double[inputs.length][][];
    for (int b = 0; b < inputs.length; b++) {
      result[b] = out.slice(b).toDoubleMatrix();
    }
    return result;
  }

  @Override
  public SpikingState initialState() {
    return new SpikingState(0, null, new double[stepper.stateSize()]);
  }

  @Override
  public int warmUp() {
    return spec().inputLength();
  }

  @Override
  public SpikingState update(SpikingState state, Observation reading) {
    int channels = spec().inputChannels().size();
    if (reading.values().length != channels) {
      throw new IllegalArgumentException("a reading at " + reading.ts() + " has "
          + reading.values().length + " values, the model reads " + channels + " channels "
          + spec().inputChannels());
    }
    double[] scaled = new double[channels];
    for (int k = 0; k < channels; k++) {
      scaled[k] = scaler().transform(reading.value(k), k);
    }
    double[] next = state.values().clone();
    stepper.step(next, scaled, null);
    return new SpikingState(state.seen() + 1, reading.ts(), next);
  }

  @Override
  public Forecast forecast(String series, SpikingState state) {
    if (state.seen() < warmUp() || state.last() == null) {
      throw new IllegalArgumentException(series + " has " + state.seen() + " readings; " + id()
          + " forecasts after " + warmUp());
    }
    return toForecast(series, state.last(), stepper.forecast(state.values()));
  }

  @Override
  public byte[] encode(SpikingState state) {
    return state.encode();
  }

  @Override
  public SpikingState decode(byte[] bytes) {
    return SpikingState.decode(bytes, stepper.stateSize());
  }

  /** Spike rates and operation counts ({@link SpikingActivity}) on the windows of {@code rows}. */
  @Override
  public List<String> report(TimeSeries rows) {
    double[][] scaled = new double[rows.length()][];
    for (int t = 0; t < scaled.length; t++) {
      scaled[t] = new double[rows.channels().size()];
      for (int k = 0; k < scaled[t].length; k++) {
        scaled[t][k] = scaler().transform(rows.values()[t][k], k);
      }
    }
    int length = spec().inputLength();
    int horizon = spec().horizon();
    double[][][] windows = SpikingActivity.windows(scaled, length, horizon);
    List<String> lines = new java.util.ArrayList<>(
        SpikingActivity.measure(graph, windows, 64).lines());
    lines.add(streamedAgainstWindows(scaled, windows));
    return lines;
  }

  /**
   * The stepper over all of {@code scaled} from its first row against the window form on each
   * window: how far their forecasts are apart, and the MSE of each on the scaled targets.
   */
  private String streamedAgainstWindows(double[][] scaled, double[][][] windows) {
    int length = spec().inputLength();
    int[] targets = targets();
    double[] state = new double[stepper.stateSize()];
    double apart = 0;
    double streamedError = 0;
    double windowError = 0;
    long values = 0;
    for (int from = 0; from < windows.length; from += 64) {
      double[][][] part = Arrays.copyOfRange(windows, from, Math.min(windows.length, from + 64));
      double[][][] byWindow = predictScaled(part, null);
      for (int i = 0; i < part.length; i++) {
        int w = from + i;
        for (int t = w == 0 ? 0 : w + length - 1; t < w + length; t++) {
          stepper.step(state, scaled[t], null);
        }
        double[][] streamed = stepper.forecast(state);
        for (int h = 0; h < streamed.length; h++) {
          for (int o = 0; o < targets.length; o++) {
            double actual = scaled[w + length + h][targets[o]];
            apart += Math.abs(streamed[h][o] - byWindow[i][h][o]);
            streamedError += Math.pow(streamed[h][o] - actual, 2);
            windowError += Math.pow(byWindow[i][h][o] - actual, 2);
            values++;
          }
        }
      }
      System.gc(); // the batch's native arrays, as in SpikingActivity.measure
    }
    return String.format(java.util.Locale.ROOT, "streamed from the first row against windows from"
        + " rest, %d forecasts: mean |difference| %.5f; MSE streamed %.4f, windows %.4f",
        windows.length, apart / values, streamedError / values, windowError / values);
  }

  @Override
  public void close() {
    // the graph is freed with the model
  }
}

package io.tidecast.zoo.lmuformer;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.StreamingForecaster;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained LMUFormer in both forms: whole windows through the parallel graph
 * ({@link #forecast(List)}), and one reading at a time through the stepper, with a fixed-size
 * state per series ({@link StreamingForecaster}). After {@link #warmUp()} readings the two give
 * the same forecast for the same last readings.
 */
public final class LmuForecaster extends WindowForecaster
    implements StreamingForecaster<LmuState> {

  private final LmuGraph graph;
  private final LmuStepper stepper;

  /** @param graph the trained graph, built {@link LmuConfig#forInference() for inference} */
  public LmuForecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler, LmuGraph graph) {
    super(id, spec, scaler, targetIndices(spec));
    if (spec.inputLength() != graph.config().inputLength()
        || spec.horizon() != graph.config().horizon()
        || spec.inputChannels().size() != graph.config().inputChannels()
        || !graph.config().targets().equals(List.of(java.util.Arrays.stream(targetIndices(spec))
            .boxed().toArray(Integer[]::new)))) {
      throw new IllegalArgumentException(spec + " does not fit " + graph.config());
    }
    this.graph = graph;
    this.stepper = new LmuStepper(graph.config(), graph.weights());
  }

  public LmuGraph graph() {
    return graph;
  }

  public LmuStepper stepper() {
    return stepper;
  }

  @Override
  protected double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows) {
    INDArray values = Nd4j.createFromArray(inputs).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    INDArray out = Sessions.output(graph.sameDiff(), Layers.dropoutOff(graph.sameDiff(),
        java.util.Map.of(LmuGraph.VALUES, values, TrainableGraph.TRAINING,
            Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1))),
        TrainableGraph.FORECAST).get(TrainableGraph.FORECAST);
    double[][][] result = new double[inputs.length][][];
    for (int b = 0; b < inputs.length; b++) {
      result[b] = out.slice(b).toDoubleMatrix();
    }
    return result;
  }

  @Override
  public LmuState initialState() {
    return stepper.initialState();
  }

  @Override
  public int warmUp() {
    return spec().inputLength();
  }

  @Override
  public LmuState update(LmuState state, Observation reading) {
    return update(List.of(state), List.of(reading)).get(0);
  }

  @Override
  public List<LmuState> update(List<LmuState> states, List<Observation> readings) {
    if (states.size() != readings.size()) {
      throw new IllegalArgumentException(states.size() + " states but " + readings.size()
          + " readings");
    }
    int channels = spec().inputChannels().size();
    float[][] scaled = new float[readings.size()][channels];
    for (int i = 0; i < scaled.length; i++) {
      Observation r = readings.get(i);
      if (r.values().length != channels) {
        throw new IllegalArgumentException("a reading at " + r.ts() + " has " + r.values().length
            + " values, the model reads " + channels + " channels " + spec().inputChannels());
      }
      for (int c = 0; c < channels; c++) {
        scaled[i][c] = (float) scaler().transform(r.value(c), c);
      }
    }
    List<LmuState> next = stepper.update(states, scaled);
    List<LmuState> stamped = new ArrayList<>(next.size());
    for (int i = 0; i < next.size(); i++) {
      stamped.add(next.get(i).at(readings.get(i).ts()));
    }
    return stamped;
  }

  @Override
  public Forecast forecast(String series, LmuState state) {
    return forecast(List.of(series), List.of(state)).get(0);
  }

  @Override
  public List<Forecast> forecast(List<String> series, List<LmuState> states) {
    if (series.size() != states.size()) {
      throw new IllegalArgumentException(series.size() + " series but " + states.size()
          + " states");
    }
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i).seen() < warmUp() || states.get(i).last() == null) {
        throw new IllegalArgumentException(series.get(i) + " has " + states.get(i).seen()
            + " readings; " + id() + " forecasts after " + warmUp());
      }
    }
    float[][][] scaled = stepper.forecast(states);
    List<Forecast> forecasts = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      double[][] rows = new double[scaled[i].length][];
      for (int h = 0; h < rows.length; h++) {
        rows[h] = new double[scaled[i][h].length];
        for (int c = 0; c < rows[h].length; c++) {
          rows[h][c] = scaled[i][h][c];
        }
      }
      forecasts.add(toForecast(series.get(i), states.get(i).last(), rows));
    }
    return forecasts;
  }

  @Override
  public void close() {
    // the graph and the stepper's weights are freed with the model
  }

  @Override
  public byte[] encode(LmuState state) {
    return state.encode();
  }

  @Override
  public LmuState decode(byte[] bytes) {
    return LmuState.decode(bytes, stepper.stateSize());
  }
}

package io.tidecast.spiking;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.zoo.lmuformer.LmuConfig;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The stepper against the parallel graph, both in double precision: on windows (every neuron at
 * rest at the window's start) and along a stream of 10,000 readings after the first 100 (the
 * graph over the whole stream, in chunks that carry the state on).
 */
class SpikingStepperTest {

  private static final int LENGTH = 96;
  private static final int CHANNELS = 3;
  private static final SpikingConfig CONFIG = new SpikingConfig(new LmuConfig(LENGTH, 24,
      CHANNELS, List.of(0, 1, 2), 32, 2, 16, 1, 2, 2, 0.0, true, true), 2, 1, 4, 8);
  private static final int STREAM = 10_100;

  private static double[][] stream;
  private static SpikingGraph window;
  private static SpikingStepper stepper;

  @BeforeAll
  static void calibratedModel() {
    stream = signal(STREAM, 7);
    window = SpikingGraph.build(CONFIG, DataType.DOUBLE, 3);
    calibrate(window);
    stepper = new SpikingStepper(CONFIG, window.weights());
  }

  @Test
  void theStepperSpikesAndForecastsAsTheGraphOnEveryWindow() {
    int count = 100;
    double[][][] windows = new double[count][][];
    for (int i = 0; i < count; i++) {
      int from = i * 97;
      windows[i] = java.util.Arrays.copyOfRange(stream, from, from + LENGTH);
    }
    Map<String, INDArray> out = run(window, Nd4j.createFromArray(windows));
    INDArray forecast = out.get(TrainableGraph.FORECAST); // [count, horizon, outputs]
    long[] fired = new long[stepper.neurons().size()];
    long[] total = new long[fired.length];
    double worst = 0;
    for (int i = 0; i < count; i++) {
      double[] state = new double[stepper.stateSize()];
      for (int t = 0; t < LENGTH; t++) {
        Map<String, double[]> spikes = new HashMap<>();
        stepper.step(state, windows[i][t], spikes);
        for (int l = 0; l < fired.length; l++) {
          String layer = stepper.neurons().get(l);
          double[] expected = graphSpikes(out, layer, i, t);
          assertThat(spikes.get(layer)).as("window %d step %d layer %s", i, t, layer)
              .containsExactly(expected);
          for (double s : expected) {
            fired[l] += (long) s;
            total[l]++;
          }
        }
      }
      double[][] steps = stepper.forecast(state);
      for (int h = 0; h < steps.length; h++) {
        for (int o = 0; o < steps[h].length; o++) {
          worst = Math.max(worst, Math.abs(steps[h][o] - forecast.getDouble(i, h, o)));
        }
      }
    }
    assertThat(worst).as("largest forecast difference").isLessThan(1e-4);
    System.out.printf("windows: %d spike trains identical, largest forecast difference %.3g%n",
        count, worst);
    for (int l = 0; l < fired.length; l++) {
      assertThat((double) fired[l] / total[l]).as("spike rate of %s", stepper.neurons().get(l))
          .isBetween(0.01, 0.9);
    }
  }

  @Test
  void theStepperIsTheGraphOverAWholeStream() {
    int steps = 505; // 20 chunks of 505: the first 100 readings and 10,000 more
    SpikingGraph chunk = SpikingGraph.chunk(CONFIG, DataType.DOUBLE, 3, steps);
    chunk.load(window.weights());
    Map<String, INDArray> state = chunk.initialState(1);
    double[] own = new double[stepper.stateSize()];
    double worst = 0;
    int compared = 0;
    for (int from = 0; from < STREAM; from += steps) {
      double[][][] values = {java.util.Arrays.copyOfRange(stream, from, from + steps)};
      Map<String, INDArray> out = chunk.continueWith(Nd4j.createFromArray(values), state);
      state = new HashMap<>();
      for (String name : chunk.states().keySet()) {
        state.put(name, out.get(SpikingGraph.NEXT + name));
      }
      INDArray forecast = out.get(TrainableGraph.FORECAST); // [1, steps, horizon, outputs]
      for (int t = 0; t < steps; t++) {
        Map<String, double[]> spikes = new HashMap<>();
        stepper.step(own, values[0][t], spikes);
        for (String layer : stepper.neurons()) {
          assertThat(spikes.get(layer)).as("reading %d layer %s", from + t, layer)
              .containsExactly(graphSpikes(out, layer, 0, t));
        }
        double[][] mine = stepper.forecast(own);
        INDArray theirs = forecast.get(NDArrayIndex.point(0), NDArrayIndex.point(t));
        for (int h = 0; h < mine.length; h++) {
          for (int o = 0; o < mine[h].length; o++) {
            worst = Math.max(worst, Math.abs(mine[h][o] - theirs.getDouble(h, o)));
          }
        }
        compared++;
      }
    }
    assertThat(compared).isEqualTo(STREAM);
    assertThat(worst).as("largest forecast difference").isLessThan(1e-4);
    System.out.printf("stream: %d readings, spike trains identical, largest forecast difference"
        + " %.3g%n", compared, worst);
  }

  @Test
  void aStreamThroughChunksFromRestIsTheWindowGraphAtEveryWindowEnd() {
    SpikingGraph chunk = SpikingGraph.chunk(CONFIG, DataType.DOUBLE, 3, LENGTH);
    chunk.load(window.weights());
    double[][][] first = {java.util.Arrays.copyOfRange(stream, 0, LENGTH)};
    INDArray values = Nd4j.createFromArray(first);
    INDArray continued = chunk.continueWith(values, chunk.initialState(1))
        .get(TrainableGraph.FORECAST).get(NDArrayIndex.point(0), NDArrayIndex.point(LENGTH - 1));
    INDArray whole = run(window, values).get(TrainableGraph.FORECAST).slice(0);
    assertThat(continued.sub(whole).amaxNumber().doubleValue()).isLessThan(1e-9);
  }

  private static double[] graphSpikes(Map<String, INDArray> out, String layer, int b, int t) {
    double[] s = out.get(SpikingGraph.SPIKES + layer)
        .get(NDArrayIndex.point(b), NDArrayIndex.point(t)).toDoubleVector();
    for (int i = 0; i < s.length; i++) {
      s[i] = s[i] > 0.5 ? 1 : 0; // the straight-through form leaves rounding around 0 and 1
    }
    return s;
  }

  private static Map<String, INDArray> run(SpikingGraph graph, INDArray values) {
    List<String> outputs = new ArrayList<>();
    outputs.add(TrainableGraph.FORECAST);
    graph.neuronOrder().forEach(n -> outputs.add(SpikingGraph.SPIKES + n));
    return graph.sameDiff().output(Map.of(SpikingGraph.VALUES, values, TrainableGraph.TRAINING,
        Nd4j.zeros(DataType.DOUBLE, 1)), outputs);
  }

  /** Running statistics from one batch in training mode, as a trainer would leave them. */
  private static void calibrate(SpikingGraph graph) {
    double[][][] windows = new double[64][][];
    for (int i = 0; i < windows.length; i++) {
      windows[i] = java.util.Arrays.copyOfRange(stream, 150 * i, 150 * i + LENGTH);
    }
    List<String> names = new ArrayList<>();
    for (String bn : graph.batchNorms()) {
      names.add(bn + "/batchMean");
      names.add(bn + "/batchVariance");
    }
    Map<String, INDArray> stats = graph.sameDiff().output(Map.of(SpikingGraph.VALUES,
        Nd4j.createFromArray(windows), TrainableGraph.TRAINING, Nd4j.ones(DataType.DOUBLE, 1)),
        names);
    for (String bn : graph.batchNorms()) {
      graph.sameDiff().getArrForVarName(bn + TrainableGraph.RUNNING_MEAN)
          .assign(stats.get(bn + "/batchMean"));
      graph.sameDiff().getArrForVarName(bn + TrainableGraph.RUNNING_VARIANCE)
          .assign(stats.get(bn + "/batchVariance"));
      graph.sameDiff().getArrForVarName(bn + "/gamma").assign(1.5);
    }
  }

  /** Daily and weekly cycles, a drift and noise, roughly unit scale. */
  private static double[][] signal(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[rows][CHANNELS];
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < CHANNELS; c++) {
        x[t][c] = Math.sin(2 * Math.PI * t / 24 + c) + 0.5 * Math.sin(2 * Math.PI * t / 168)
            + 0.3 * Math.sin(t / 1000.0 + c) + 0.3 * random.nextGaussian();
      }
    }
    return x;
  }
}

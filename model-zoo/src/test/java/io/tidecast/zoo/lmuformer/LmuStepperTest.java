package io.tidecast.zoo.lmuformer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The streaming stepper computes what the parallel graph computes on the last window. */
class LmuStepperTest {

  private static final LmuConfig CONFIG = new LmuConfig(32, 6, 3, List.of(2, 0), 16, 2, 8, 2, 2,
      2, 0.0, true, true);

  /** A graph with random weights and batch-norm statistics far from the identity. */
  static LmuGraph randomGraph(LmuConfig config) {
    LmuGraph graph = LmuGraph.build(config, DataType.FLOAT, 7);
    Nd4j.getRandom().setSeed(21);
    for (Map.Entry<String, INDArray> w : graph.weights().entrySet()) {
      String name = w.getKey();
      INDArray value = w.getValue();
      if (name.endsWith(TrainableGraph.RUNNING_MEAN) || name.endsWith("/beta")) {
        value.assign(Nd4j.randn(DataType.FLOAT, value.shape()).muli(0.3));
      } else if (name.endsWith(TrainableGraph.RUNNING_VARIANCE) || name.endsWith("/gamma")) {
        value.assign(Nd4j.rand(DataType.FLOAT, value.shape()).addi(0.5));
      }
    }
    return graph;
  }

  /** Smooth daily and weekly cycles with noise, {@code [steps][channels]}. */
  static float[][] series(int steps, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] values = new float[steps][channels];
    for (int t = 0; t < steps; t++) {
      for (int c = 0; c < channels; c++) {
        values[t][c] = (float) (Math.sin(2 * Math.PI * t / 24 + c) + 0.5 * Math.sin(
            2 * Math.PI * t / 168) + 0.3 * random.nextGaussian());
      }
    }
    return values;
  }

  private static INDArray parallel(LmuGraph graph, float[][][] windows) {
    INDArray values = Nd4j.createFromArray(windows);
    return graph.sameDiff().output(Map.of(LmuGraph.VALUES, values, TrainableGraph.TRAINING,
        Nd4j.zeros(DataType.FLOAT, 1)), TrainableGraph.FORECAST).get(TrainableGraph.FORECAST);
  }

  static Stream<LmuConfig> configs() {
    return Stream.of(CONFIG,
        // one block, no linear head, readings as they are, four memory channels
        new LmuConfig(40, 8, 2, List.of(0, 1), 24, 4, 6, 1, 1, 3, 0.0, false, false));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void fedAWindowFromZeroStateItForecastsWhatTheParallelModelDoes(LmuConfig config) {
    LmuGraph graph = randomGraph(config);
    LmuStepper stepper = new LmuStepper(config, graph.weights());
    int windows = 100;
    int length = config.inputLength();
    float[][][] batch = new float[windows][][];
    for (int w = 0; w < windows; w++) {
      batch[w] = series(length, config.inputChannels(), 100 + w);
    }
    INDArray expected = parallel(graph, batch);

    List<LmuState> states = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      states.add(stepper.initialState());
    }
    for (int t = 0; t < length; t++) {
      float[][] readings = new float[windows][];
      for (int w = 0; w < windows; w++) {
        readings[w] = batch[w][t];
      }
      states = stepper.update(states, readings);
    }
    float[][][] streamed = stepper.forecast(states);

    double largest = expected.amaxNumber().doubleValue();
    assertThat(largest).as("forecasts are not trivially small").isGreaterThan(0.1);
    for (int w = 0; w < windows; w++) {
      for (int h = 0; h < config.horizon(); h++) {
        for (int o = 0; o < config.outputChannels(); o++) {
          assertThat((double) streamed[w][h][o]).as("window %d step %d output %d", w, h, o)
              .isCloseTo(expected.getDouble(w, h, o), org.assertj.core.api.Assertions.within(1e-4));
        }
      }
    }
  }

  static Stream<LmuConfig> slidingConfigs() {
    return Stream.of(CONFIG,
        // the default memory sizes (order 64, window 89; the raw memory over all 96 steps), where
        // float rounding in the sliding update has the most room to grow
        new LmuConfig(96, 24, 7, List.of(0, 1, 2, 3, 4, 5, 6), 32, 4, 64, 1, 2, 2, 0.0, true,
            true));
  }

  @ParameterizedTest
  @MethodSource("slidingConfigs")
  void slidingOver10000ReadingsWithoutResetItKeepsForecastingTheLastWindow(LmuConfig config) {
    LmuGraph graph = randomGraph(config);
    LmuStepper stepper = new LmuStepper(config, graph.weights());
    int length = config.inputLength();
    int further = 10_000;
    float[][] readings = series(length + further, config.inputChannels(), 9);
    LmuState state = stepper.initialState();
    float[][][] streamed = new float[further + 1][][];
    for (int t = 0; t < readings.length; t++) {
      state = stepper.update(List.of(state), new float[][] {readings[t]}).get(0);
      if (t >= length - 1) {
        streamed[t - length + 1] = stepper.forecast(List.of(state))[0];
      }
    }
    assertThat(state.seen()).isEqualTo(length + further);
    double worst = 0;
    int chunk = 1000;
    for (int from = 0; from <= further; from += chunk) {
      int count = Math.min(chunk, further + 1 - from);
      float[][][] windows = new float[count][][];
      for (int w = 0; w < count; w++) {
        windows[w] = java.util.Arrays.copyOfRange(readings, from + w, from + w + length);
      }
      INDArray expected = parallel(graph, windows);
      for (int w = 0; w < count; w++) {
        for (int h = 0; h < config.horizon(); h++) {
          for (int o = 0; o < config.outputChannels(); o++) {
            worst = Math.max(worst,
                Math.abs(streamed[from + w][h][o] - expected.getDouble(w, h, o)));
          }
        }
      }
    }
    assertThat(worst).as("largest difference over %d forecasts", further + 1).isLessThan(1e-4);
  }

  @Test
  void theScalarStepForFewSeriesEqualsTheBatchedStepForMany() {
    LmuGraph graph = randomGraph(CONFIG);
    LmuStepper stepper = new LmuStepper(CONFIG, graph.weights());
    int series = LmuStepper.SCALAR_BELOW + 10;
    List<LmuState> batched = new ArrayList<>();
    List<LmuState> one = new ArrayList<>();
    for (int s = 0; s < series; s++) {
      batched.add(stepper.initialState());
      one.add(stepper.initialState());
    }
    float[][][] data = new float[series][][];
    for (int s = 0; s < series; s++) {
      data[s] = series(50, CONFIG.inputChannels(), 300 + s);
    }
    for (int t = 0; t < 50; t++) {
      float[][] readings = new float[series][];
      for (int s = 0; s < series; s++) {
        readings[s] = data[s][t];
        one.set(s, stepper.update(List.of(one.get(s)), new float[][] {readings[s]}).get(0));
      }
      batched = stepper.update(batched, readings);
    }
    double worst = 0;
    for (int s = 0; s < series; s++) {
      float[] a = batched.get(s).values();
      float[] b = one.get(s).values();
      for (int k = 0; k < a.length; k++) {
        worst = Math.max(worst, Math.abs(a[k] - b[k]));
      }
    }
    assertThat(worst).as("largest difference of any state value").isLessThan(1e-4);
    float[][][] fromBatch = stepper.forecast(batched);
    float[][][] fromOne = stepper.forecast(one.subList(0, 1));
    for (int h = 0; h < CONFIG.horizon(); h++) {
      for (int o = 0; o < CONFIG.outputChannels(); o++) {
        assertThat((double) fromOne[0][h][o]).isCloseTo(fromBatch[0][h][o],
            org.assertj.core.api.Assertions.within(1e-4));
      }
    }
  }

  @Test
  void theErrorFunctionIsAccurateToAboutOneInTenMillion() {
    // erf at 0.5, 1 and 2 from tables
    assertThat(LmuStepper.erf(0.5)).isCloseTo(0.5204998778, org.assertj.core.api.Assertions.within(2e-7));
    assertThat(LmuStepper.erf(1)).isCloseTo(0.8427007929, org.assertj.core.api.Assertions.within(2e-7));
    assertThat(LmuStepper.erf(-2)).isCloseTo(-0.9953222650, org.assertj.core.api.Assertions.within(2e-7));
    assertThat(LmuStepper.erf(0)).isCloseTo(0, org.assertj.core.api.Assertions.within(2e-7));
  }

  @Test
  void aStateSurvivesEncoding() {
    LmuGraph graph = randomGraph(CONFIG);
    LmuStepper stepper = new LmuStepper(CONFIG, graph.weights());
    LmuState state = stepper.initialState();
    float[][] readings = series(40, 3, 2);
    for (float[] r : readings) {
      state = stepper.update(List.of(state), new float[][] {r}).get(0);
    }
    state = state.at(java.time.Instant.parse("2026-01-01T00:00:00.5Z"));
    byte[] bytes = state.encode();
    assertThat(bytes).hasSize(stepper.stateBytes());
    assertThat(LmuState.decode(bytes, stepper.stateSize())).isEqualTo(state);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LmuState.decode(java.util.Arrays.copyOf(bytes, bytes.length - 4),
            stepper.stateSize()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
  }
}

package io.tidecast.zoo.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.train.Layers;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The eager serving pass computes what the graph computes in inference mode. */
class InformerInferenceTest {

  static Stream<Arguments> configs() {
    return Stream.of(
        // three encoder layers, two distilling steps 96 -> 48 -> 24; ProbSparse everywhere
        Arguments.of(new InformerConfig(96, 48, 24, 7, 7, 7, 4, 16, 2, 3, 1, 32, 5, 0.05, true,
            true)),
        // odd lengths (25 -> 13), full attention, two decoder layers, fewer outputs
        Arguments.of(new InformerConfig(25, 10, 7, 3, 3, 1, 5, 24, 3, 2, 2, 40, 5, 0.0, false,
            true)),
        // above 256 keys the eager kernel gathers sampled keys instead of scoring densely
        Arguments.of(new InformerConfig(300, 100, 20, 2, 2, 2, 4, 16, 2, 2, 1, 16, 5, 0.0, true,
            true)),
        // InformerStack: encoders of 3, 2 and 1 layers on the last 96, 48 and 24 steps
        Arguments.of(new InformerConfig(96, 48, 24, 7, 7, 7, 4, 16, 2, 3, 1, 32, 5, 0.05, true,
            true, 3)),
        // the fixed calendar embedding, with the quarter-hour field of sub-hourly data
        Arguments.of(new InformerConfig(48, 24, 12, 3, 3, 3, 5, 16, 2, 2, 1, 32, 5, 0.05, true,
            true, 1, "fixed")));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void eagerForwardEqualsTheGraphInInferenceMode(InformerConfig config) {
    InformerGraph graph = InformerGraph.build(config, DataType.FLOAT, 4);
    Nd4j.getRandom().setSeed(12);
    for (Map.Entry<String, INDArray> w : graph.weights().entrySet()) {
      if (w.getKey().endsWith(InformerGraph.RUNNING_MEAN)) {
        w.getValue().assign(Nd4j.randn(DataType.FLOAT, w.getValue().shape()).muli(0.2));
      } else if (w.getKey().endsWith(InformerGraph.RUNNING_VARIANCE)) {
        w.getValue().assign(Nd4j.rand(DataType.FLOAT, w.getValue().shape()).addi(0.5));
      }
    }
    int batch = 3;
    INDArray values = Nd4j.randn(DataType.FLOAT, batch, config.inputLength(),
        config.encoderChannels());
    INDArray time = calendar(config, batch, config.inputLength());
    INDArray future = calendar(config, batch, config.horizon());

    Map<String, INDArray> feed = new HashMap<>(graph.attention().fixedSamples());
    feed.put(InformerGraph.ENCODER_VALUES, values);
    feed.put(InformerGraph.ENCODER_TIME, time);
    feed.put(InformerGraph.DECODER_VALUES,
        DecoderInput.values(values, config.labelLength(), config.horizon()));
    feed.put(InformerGraph.DECODER_TIME, DecoderInput.time(time, future, config.labelLength()));
    feed.put(InformerGraph.TRAINING, Nd4j.zeros(DataType.FLOAT, 1));
    feed.putAll(Layers.dropoutOff(graph.sameDiff(), Map.of()));
    INDArray fromGraph = graph.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST);

    INDArray eager = new InformerInference(config, graph.weights(), graph.seed())
        .forward(values, time, future);

    assertThat(eager.shape()).containsExactly(fromGraph.shape());
    double scale = fromGraph.amaxNumber().doubleValue();
    assertThat(scale).isGreaterThan(0.1);
    assertThat(eager.sub(fromGraph).amaxNumber().doubleValue()).isLessThan(2e-5 * scale + 1e-5);

    // Served inside a reused workspace (the forecaster's way), twice: the same numbers exactly.
    InformerInference inference = new InformerInference(config, graph.weights(), graph.seed());
    String workspace = "informer-inference-test-" + config.hashCode();
    for (int call = 0; call < 2; call++) {
      try (MemoryWorkspace ws = InferenceWorkspace.open(workspace)) {
        INDArray inside = inference.forward(values, time, future);
        assertThat(inside.isAttached()).isTrue();
        assertThat(inside.detach()).isEqualTo(eager);
      }
    }

    // What the trainer scores with: the same pass, detached; a new one sees changed weights.
    Windows.Batch windows = new Windows.Batch(values, time, future, null);
    INDArray scored = graph.inference().apply(windows);
    assertThat(scored.isAttached()).isFalse();
    assertThat(scored).isEqualTo(eager);
    graph.weights().values().forEach(w -> w.muli(0.9));
    INDArray afterChange = graph.inference().apply(windows);
    assertThat(afterChange.sub(eager).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    assertThat(afterChange.sub(graph.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST)).amaxNumber().doubleValue())
        .isLessThan(2e-5 * scale + 1e-5);
  }

  @Test
  void fixedCalendarFieldsAreTheIntegerCalendar() {
    // Saturday 2024-03-02 13:47 UTC
    Instant ts = Instant.parse("2024-03-02T13:47:00Z");
    assertThat(CalendarEmbedding.FIXED.encode(Frequency.parse("15min"), ts))
        .containsExactly(3, 2, 5, 13, 3);
    assertThat(CalendarEmbedding.FIXED.encode(Frequency.HOURLY, ts)).containsExactly(3, 2, 5, 13);
    assertThat(CalendarEmbedding.TIME_F.size(Frequency.HOURLY)).isEqualTo(4);
  }

  /** Calendar inputs: scaled features for timeF, valid integer fields for fixed. */
  private static INDArray calendar(InformerConfig config, int batch, int length) {
    if (config.calendar() == CalendarEmbedding.TIME_F) {
      return Nd4j.rand(DataType.FLOAT, batch, length, config.timeFeatures());
    }
    Instant start = Instant.parse("2024-12-30T22:00:00Z");
    Frequency quarterHour = Frequency.parse("15min");
    float[] values = new float[batch * length * config.timeFeatures()];
    int at = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        for (double v : CalendarEmbedding.FIXED.encode(quarterHour,
            quarterHour.plus(start, 37L * b + 3L * t))) {
          values[at++] = (float) v;
        }
      }
    }
    return Nd4j.createFromArray(values).reshape(batch, length, config.timeFeatures());
  }
}

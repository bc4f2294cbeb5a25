package io.tidecast.zoo.informer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
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
            true, 3)));
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
    INDArray time = Nd4j.rand(DataType.FLOAT, batch, config.inputLength(),
        config.timeFeatures());
    INDArray future = Nd4j.rand(DataType.FLOAT, batch, config.horizon(), config.timeFeatures());

    Map<String, INDArray> feed = new HashMap<>(graph.attention().fixedSamples());
    feed.put(InformerGraph.ENCODER_VALUES, values);
    feed.put(InformerGraph.ENCODER_TIME, time);
    feed.put(InformerGraph.DECODER_VALUES,
        DecoderInput.values(values, config.labelLength(), config.horizon()));
    feed.put(InformerGraph.DECODER_TIME, DecoderInput.time(time, future, config.labelLength()));
    feed.put(InformerGraph.TRAINING, Nd4j.zeros(DataType.FLOAT, 1));
    INDArray fromGraph = graph.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST);

    INDArray eager = new InformerInference(config, graph.weights(), graph.seed())
        .forward(values, time, future);

    assertThat(eager.shape()).containsExactly(fromGraph.shape());
    double scale = fromGraph.amaxNumber().doubleValue();
    assertThat(scale).isGreaterThan(0.1);
    assertThat(eager.sub(fromGraph).amaxNumber().doubleValue()).isLessThan(2e-5 * scale + 1e-5);
  }
}

package io.tidecast.zoo.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.zoo.train.Layers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InformerGraphTest {

  /** Input 96, three encoder layers: two distilling steps, 96 -> 48 -> 24. */
  private static final InformerConfig TINY = new InformerConfig(96, 48, 24, 7, 7, 7, 4, 16, 2, 3,
      1, 32, 5, 0.05, true, true);

  @Test
  void lengthsHalveThroughEachDistillingStep() {
    assertThat(InformerConfig.distilledLength(96)).isEqualTo(48);
    assertThat(InformerConfig.distilledLength(48)).isEqualTo(24);
    assertThat(InformerConfig.distilledLength(25)).isEqualTo(13);
    assertThat(TINY.encoderOutputLength()).isEqualTo(24);
    assertThat(TINY.decoderLength()).isEqualTo(72);
  }

  @Test
  void shapesThroughTheModel() {
    InformerGraph g = InformerGraph.build(TINY, DataType.FLOAT, 1);
    Map<String, INDArray> out = g.sameDiff().output(feed(g, 3), InformerGraph.FORECAST,
        g.encoderOutput().name(), "encoder/distil0/conv/w", "encoder/layer1/norm2/gamma");
    assertThat(out.get(g.encoderOutput().name()).shape()).containsExactly(3, 24, 16);
    assertThat(out.get(InformerGraph.FORECAST).shape()).containsExactly(3, 24, 7);
    assertThat(out.get("encoder/distil0/conv/w").shape()).containsExactly(48, 16); // 3 x dModel
    assertThat(out.get(InformerGraph.FORECAST).amaxNumber().doubleValue()).isFinite()
        .isGreaterThan(0);
  }

  @Test
  void distillingCanBeSwitchedOff() {
    InformerConfig flat = new InformerConfig(48, 24, 12, 3, 3, 1, 4, 16, 2, 2, 1, 32, 5, 0.05,
        false, false);
    InformerGraph g = InformerGraph.build(flat, DataType.FLOAT, 2);
    INDArray enc = g.sameDiff().output(feed(g, 2), g.encoderOutput().name())
        .get(g.encoderOutput().name());
    assertThat(enc.shape()).containsExactly(2, 48, 16);
  }

  @Test
  void sameSeedSameForecast() {
    Map<String, INDArray> input = feed(InformerGraph.build(TINY, DataType.FLOAT, 5), 2);
    INDArray first = InformerGraph.build(TINY, DataType.FLOAT, 5).sameDiff()
        .output(input, InformerGraph.FORECAST).get(InformerGraph.FORECAST);
    INDArray second = InformerGraph.build(TINY, DataType.FLOAT, 5).sameDiff()
        .output(input, InformerGraph.FORECAST).get(InformerGraph.FORECAST);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void decoderInputIsTheStartTokenThenZeroPlaceholders() {
    INDArray window = Nd4j.arange(2 * 6 * 2).reshape(2, 6, 2).castTo(DataType.FLOAT);
    INDArray input = DecoderInput.values(window, 3, 4);
    assertThat(input.shape()).containsExactly(2, 7, 2);
    assertThat(input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()))
        .isEqualTo(window.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6),
            NDArrayIndex.all()));
    assertThat(input.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 7), NDArrayIndex.all())
        .amaxNumber().doubleValue()).isZero();
    INDArray future = Nd4j.ones(DataType.FLOAT, 2, 4, 5);
    INDArray time = DecoderInput.time(Nd4j.zeros(DataType.FLOAT, 2, 6, 5), future, 3);
    assertThat(time.shape()).containsExactly(2, 7, 5);
    assertThat(time.sumNumber().doubleValue()).isEqualTo(2 * 4 * 5);
  }

  @Test
  void configRefusesInconsistentSizes() {
    assertThatThrownBy(() -> new InformerConfig(96, 120, 24, 7, 7, 7, 4, 16, 2, 2, 1, 32, 5,
        0.05, true, true)).hasMessageContaining("labelLength");
    assertThatThrownBy(() -> new InformerConfig(96, 48, 24, 7, 7, 7, 4, 18, 4, 2, 1, 32, 5,
        0.05, true, true)).hasMessageContaining("multiple of heads");
  }

  @Test
  void encoderStagesRunAtFullHalfAndQuarterLength() {
    InformerGraph g = InformerGraph.build(TINY, DataType.FLOAT, 1);
    Map<String, INDArray> out = g.sameDiff().output(feed(g, 2), "encoder/layer0/attention",
        "encoder/layer1/attention", "encoder/layer2/attention");
    assertThat(out.get("encoder/layer0/attention").shape()).containsExactly(2, 96, 16);
    assertThat(out.get("encoder/layer1/attention").shape()).containsExactly(2, 48, 16);
    assertThat(out.get("encoder/layer2/attention").shape()).containsExactly(2, 24, 16);
  }

  @Test
  void informerStackJoinsItsEncodersAlongTime() {
    InformerConfig stacked = new InformerConfig(96, 48, 24, 7, 7, 7, 4, 16, 2, 3, 1, 32, 5, 0.05,
        true, true, 3);
    // 96 -> 48 -> 24 (3 layers), 48 -> 24 (2 layers), 24 (1 layer): 72 steps of memory
    assertThat(stacked.encoderOutputLength()).isEqualTo(72);
    InformerGraph g = InformerGraph.build(stacked, DataType.FLOAT, 1);
    Map<String, INDArray> out = g.sameDiff().output(feed(g, 2), g.encoderOutput().name(),
        "encoder/stack0/layer2/attention", "encoder/stack1/layer0/attention",
        "encoder/stack2/layer0/attention", InformerGraph.FORECAST);
    assertThat(out.get("encoder/stack0/layer2/attention").shape()).containsExactly(2, 24, 16);
    assertThat(out.get("encoder/stack1/layer0/attention").shape()).containsExactly(2, 48, 16);
    assertThat(out.get("encoder/stack2/layer0/attention").shape()).containsExactly(2, 24, 16);
    assertThat(out.get(g.encoderOutput().name()).shape()).containsExactly(2, 72, 16);
    assertThat(out.get(InformerGraph.FORECAST).shape()).containsExactly(2, 24, 7);
    assertThatThrownBy(() -> new InformerConfig(96, 48, 24, 7, 7, 7, 4, 16, 2, 2, 1, 32, 5, 0.05,
        true, true, 3)).hasMessageContaining("stack 3 needs encoderLayers >= stack");
  }

  @Test
  void placeholderValuesDoNotReachTheForecast() {
    InformerGraph g = InformerGraph.build(TINY, DataType.FLOAT, 3);
    Map<String, INDArray> feed = feed(g, 2);
    INDArray zeros = g.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST);
    INDArray decoder = feed.get(InformerGraph.DECODER_VALUES).dup();
    decoder.get(NDArrayIndex.all(), NDArrayIndex.interval(48, 72), NDArrayIndex.all())
        .assign(Nd4j.randn(DataType.FLOAT, 2, 24, 7).muli(5));
    feed.put(InformerGraph.DECODER_VALUES, decoder);
    INDArray noise = g.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST);
    assertThat(noise.equalsWithEps(zeros, 0)).as("every step, bit for bit").isTrue();

    // the start token does reach it
    decoder.get(NDArrayIndex.all(), NDArrayIndex.point(47), NDArrayIndex.all()).addi(1);
    INDArray changed = g.sameDiff().output(feed, InformerGraph.FORECAST)
        .get(InformerGraph.FORECAST);
    assertThat(changed.equalsWithEps(zeros, 1e-6)).isFalse();
  }

  private static Map<String, INDArray> feed(InformerGraph g, int batch) {
    InformerConfig c = g.config();
    Nd4j.getRandom().setSeed(9);
    Map<String, INDArray> feed = new HashMap<>(g.attention().fixedSamples());
    INDArray window = Nd4j.randn(DataType.FLOAT, batch, c.inputLength(), c.encoderChannels());
    INDArray windowTime = Nd4j.rand(DataType.FLOAT, batch, c.inputLength(), c.timeFeatures());
    feed.put(InformerGraph.ENCODER_VALUES, window);
    feed.put(InformerGraph.ENCODER_TIME, windowTime);
    feed.put(InformerGraph.DECODER_VALUES, DecoderInput.values(window, c.labelLength(),
        c.horizon()));
    feed.put(InformerGraph.DECODER_TIME, DecoderInput.time(windowTime,
        Nd4j.rand(DataType.FLOAT, batch, c.horizon(), c.timeFeatures()), c.labelLength()));
    feed.put(InformerGraph.TRAINING, Nd4j.zeros(DataType.FLOAT, 1));
    return new HashMap<>(Layers.dropoutOff(g.sameDiff(), feed));
  }
}

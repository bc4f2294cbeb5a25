package io.tidecast.forecaster.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MultiHeadAttentionTest {

  private static final int D_MODEL = 16;
  private static final int HEADS = 4;

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of(FullAttention.INSTANCE, false, false, 10, 10),
        Arguments.of(FullAttention.INSTANCE, true, false, 10, 14), // cross-attention
        Arguments.of(new ProbSparseAttention(1, 4), false, false, 30, 30),
        Arguments.of(new ProbSparseAttention(1, 4), true, true, 30, 30), // the decoder's layout
        Arguments.of(FullAttention.INSTANCE, true, true, 10, 10));
  }

  @ParameterizedTest
  @MethodSource("layers")
  void eagerFormEqualsTheGraphForm(AttentionKernel kernel, boolean mix, boolean causal, int lq,
      int lk) {
    MultiHeadAttention layer = new MultiHeadAttention(D_MODEL, HEADS, mix, kernel);
    MultiHeadWeights weights = MultiHeadWeights.random(D_MODEL, DataType.DOUBLE,
        new SplittableRandom(1));
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, lq, D_MODEL).subi(0.5);
    INDArray memory = lq == lk ? x : Nd4j.rand(DataType.DOUBLE, 3, lk, D_MODEL).subi(0.5);

    SameDiff sd = SameDiff.create();
    AttentionGraph graph = new AttentionGraph(sd, DataType.DOUBLE);
    SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, lq, D_MODEL);
    SDVariable mem = lq == lk ? in : sd.placeHolder("memory", DataType.DOUBLE, -1, lk, D_MODEL);
    SDVariable out = layer.build(graph, "mha", in, mem, lq, lk, causal, weights);
    Map<String, INDArray> feed = new HashMap<>(graph.fixedSamples());
    feed.put("x", x);
    if (lq != lk) {
      feed.put("memory", memory);
    }
    INDArray fromGraph = sd.output(feed, out.name()).get(out.name());

    MultiHeadAttention.Inference eager = layer.inference(weights);
    INDArray fromEager = lq == lk ? eager.forward(x, causal) : eager.forward(x, memory, causal);
    assertThat(fromEager.shape()).containsExactly(3, lq, D_MODEL);
    assertThat(ReferenceAttention.maxAbs(fromGraph.sub(fromEager))).isLessThan(1e-12);
  }

  @Test
  void mixReadsTheHeadMajorContextInMemoryOrder() {
    MultiHeadWeights w = MultiHeadWeights.random(D_MODEL, DataType.DOUBLE, new SplittableRandom(2));
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 6, D_MODEL);
    int dim = D_MODEL / HEADS;
    INDArray q = heads(x.reshape(12, D_MODEL).mmul(w.wq()).addRowVector(w.bq()), dim);
    INDArray k = heads(x.reshape(12, D_MODEL).mmul(w.wk()).addRowVector(w.bk()), dim);
    INDArray v = heads(x.reshape(12, D_MODEL).mmul(w.wv()).addRowVector(w.bv()), dim);
    INDArray context = FullAttention.INSTANCE.attend(q, k, v, false, 1 / Math.sqrt(dim));
    // [2, heads, 6, dim] read flat as [2 * 6, dModel]: row 1 holds head 0 at positions 4 and 5.
    INDArray mixed = context.dup('c').reshape(12, D_MODEL).mmul(w.wo()).addRowVector(w.bo());
    INDArray concatenated = context.permute(0, 2, 1, 3).dup('c').reshape(12, D_MODEL)
        .mmul(w.wo()).addRowVector(w.bo());
    INDArray withMix = new MultiHeadAttention(D_MODEL, HEADS, true, FullAttention.INSTANCE)
        .inference(w).forward(x, false).reshape(12, D_MODEL);
    INDArray withoutMix = new MultiHeadAttention(D_MODEL, HEADS, false, FullAttention.INSTANCE)
        .inference(w).forward(x, false).reshape(12, D_MODEL);
    assertThat(ReferenceAttention.maxAbs(withMix.sub(mixed))).isLessThan(1e-12);
    assertThat(ReferenceAttention.maxAbs(withoutMix.sub(concatenated))).isLessThan(1e-12);
    assertThat(ReferenceAttention.maxAbs(withMix.sub(withoutMix))).isGreaterThan(1e-3);
  }

  @Test
  void headsMustDivideTheModelWidth() {
    assertThatThrownBy(() -> new MultiHeadAttention(10, 4, false, FullAttention.INSTANCE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of heads");
  }

  @Test
  void weightsComeBackByName() {
    MultiHeadWeights w = MultiHeadWeights.random(8, DataType.FLOAT, new SplittableRandom(3));
    Map<String, INDArray> arrays = new HashMap<>();
    for (int i = 0; i < MultiHeadWeights.NAMES.length; i++) {
      arrays.put("enc/" + MultiHeadWeights.NAMES[i], w.parts()[i]);
    }
    assertThat(MultiHeadWeights.from(arrays, "enc")).isEqualTo(w);
    arrays.remove("enc/bo");
    assertThatThrownBy(() -> MultiHeadWeights.from(arrays, "enc"))
        .hasMessageContaining("no array enc/bo");
  }

  private static INDArray heads(INDArray rows, int dim) {
    return rows.reshape(2, 6, HEADS, dim).permute(0, 2, 1, 3).dup('c');
  }
}

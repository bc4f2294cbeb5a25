package io.tidecast.zoo.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.zoo.informer.DecoderInput;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AdamTest {

  /** No batch norm (distilling off) and no dropout: a split batch is the same batch. */
  private static final InformerConfig PLAIN = new InformerConfig(24, 12, 6, 3, 3, 3, 4, 16, 2, 2,
      1, 32, 3, 0.0, true, false);

  @Test
  void aBatchInEqualPartsTakesTheSameStepAsTheWholeBatch() {
    Nd4j.getRandom().setSeed(21);
    INDArray values = Nd4j.randn(DataType.DOUBLE, 4, 24, 3);
    INDArray time = Nd4j.rand(DataType.DOUBLE, 4, 24, 4);
    INDArray future = Nd4j.rand(DataType.DOUBLE, 4, 6, 4);
    INDArray target = Nd4j.randn(DataType.DOUBLE, 4, 6, 3);
    InformerGraph whole = InformerGraph.build(PLAIN, DataType.DOUBLE, 8);
    InformerGraph split = InformerGraph.build(PLAIN, DataType.DOUBLE, 8);
    Map<String, INDArray> samples = whole.attention().freshSamples(new SplittableRandom(2));
    List<String> loss = List.of(InformerGraph.LOSS);

    new Adam(whole.sameDiff(), 1e-3).step(feed(values, time, future, target, 0, 4, samples),
        loss);
    List<Map<String, INDArray>> parts = new ArrayList<>();
    parts.add(feed(values, time, future, target, 0, 2, samples));
    parts.add(feed(values, time, future, target, 2, 4, samples));
    int[] released = {0};
    new Adam(split.sameDiff(), 1e-3).step(parts, loss, () -> released[0]++);

    assertThat(released[0]).isEqualTo(2);
    double moved = 0;
    for (Map.Entry<String, INDArray> w : whole.weights().entrySet()) {
      INDArray other = split.weights().get(w.getKey());
      assertThat(w.getValue().sub(other).amaxNumber().doubleValue()).as(w.getKey())
          .isLessThan(1e-12);
      moved = Math.max(moved, w.getValue().sub(InformerGraph.build(PLAIN, DataType.DOUBLE, 8)
          .weights().get(w.getKey())).amaxNumber().doubleValue());
    }
    assertThat(moved).as("the step changed the weights").isGreaterThan(5e-4);
  }

  @Test
  void partsRunByTwoThreadsTakeTheStepOneThreadTakes() {
    Nd4j.getRandom().setSeed(23);
    INDArray values = Nd4j.randn(DataType.DOUBLE, 8, 24, 3);
    INDArray time = Nd4j.rand(DataType.DOUBLE, 8, 24, 4);
    INDArray future = Nd4j.rand(DataType.DOUBLE, 8, 6, 4);
    INDArray target = Nd4j.randn(DataType.DOUBLE, 8, 6, 3);
    Map<String, INDArray> samples = InformerGraph.build(PLAIN, DataType.DOUBLE, 8).attention()
        .freshSamples(new SplittableRandom(4));
    List<Map<String, INDArray>> parts = new ArrayList<>();
    for (int from = 0; from < 8; from += 2) {
      parts.add(feed(values, time, future, target, from, from + 2, samples));
    }
    List<String> loss = List.of(InformerGraph.LOSS);
    List<InformerGraph> graphs = new ArrayList<>();
    List<List<Map<String, INDArray>>> outputs = new ArrayList<>();
    for (int threads : new int[] {1, 2, 2}) {
      InformerGraph graph = InformerGraph.build(PLAIN, DataType.DOUBLE, 8);
      Adam adam = new Adam(graph.sameDiff(), 1e-3);
      for (int step = 0; step < 2; step++) {
        outputs.add(adam.step(parts, loss, () -> { }, threads));
      }
      graphs.add(graph);
    }

    for (int run = 1; run < 3; run++) {
      for (int step = 0; step < 2; step++) {
        for (int part = 0; part < 4; part++) {
          assertThat(outputs.get(2 * run + step).get(part).get(InformerGraph.LOSS).getDouble(0))
              .as("run %d step %d part %d", run, step, part)
              .isCloseTo(outputs.get(step).get(part).get(InformerGraph.LOSS).getDouble(0),
                  org.assertj.core.api.Assertions.within(1e-12));
        }
      }
      for (Map.Entry<String, INDArray> w : graphs.get(0).weights().entrySet()) {
        assertThat(graphs.get(run).weights().get(w.getKey()).sub(w.getValue()).amaxNumber()
            .doubleValue()).as(w.getKey()).isLessThan(1e-12);
      }
    }
    assertThat(outputs.get(1).get(0).get(InformerGraph.LOSS).getDouble(0))
        .as("the second step saw the first one's update")
        .isNotEqualTo(outputs.get(0).get(0).get(InformerGraph.LOSS).getDouble(0));
    graphs.get(1).weights().forEach((name, w) ->
        assertThat(graphs.get(2).weights().get(name)).as("two-thread runs agree bit for bit: "
            + name).isEqualTo(w));
  }

  @Test
  void passesReusingCachedArraysGiveNd4jsOwnGradientsLeaveEarlierResultsAloneAndKeepNoIds() {
    InformerConfig distilling = new InformerConfig(24, 12, 6, 3, 3, 3, 4, 16, 2, 2, 1, 32, 3,
        0.0, true, true, 1, "timeF");
    InformerGraph graph = InformerGraph.build(distilling, DataType.DOUBLE, 8);
    Map<String, INDArray> samples = graph.attention().freshSamples(new SplittableRandom(5));
    Adam adam = new Adam(graph.sameDiff(), 1e-3);
    List<String> outputs = new ArrayList<>(List.of(InformerGraph.LOSS));
    graph.batchNorms().forEach(bn -> outputs.add(bn + "/batchMean"));
    assertThat(outputs).hasSizeGreaterThan(1);

    Adam.Pass first = null;
    Map<String, INDArray> firstCopy = new HashMap<>();
    for (int batch = 0; batch < 3; batch++) {
      Nd4j.getRandom().setSeed(40 + batch);
      Map<String, INDArray> feed = feed(Nd4j.randn(DataType.DOUBLE, 2, 24, 3),
          Nd4j.rand(DataType.DOUBLE, 2, 24, 4), Nd4j.rand(DataType.DOUBLE, 2, 6, 4),
          Nd4j.randn(DataType.DOUBLE, 2, 6, 3), 0, 2, samples);
      for (int again = 0; again < 2; again++) {
        Adam.Pass pass = adam.pass(feed, outputs);
        // the session's record of freed arrays would otherwise grow by every pass's arrays
        assertThat(Sessions.freedArrays(Adam.gradientGraph(graph.sameDiff())))
            .hasValueSatisfying(ids -> assertThat(ids).isEmpty());
        var expected = graph.sameDiff().calculateGradientsAndOutputs(feed, outputs,
            adam.parameters());
        assertThat(pass.gradients().keySet()).isEqualTo(expected.getGradients().keySet());
        expected.getGradients().forEach((name, g) ->
            assertThat(pass.gradients().get(name)).as(name).isEqualTo(g));
        expected.getOutputs().forEach((name, o) ->
            assertThat(pass.outputs().get(name)).as(name).isEqualTo(o));
        if (first == null) {
          first = pass;
          first.gradients().forEach((name, g) -> firstCopy.put(name, g.dup()));
          first.outputs().forEach((name, o) -> firstCopy.put(name, o.dup()));
        }
      }
    }
    for (Map.Entry<String, INDArray> kept : firstCopy.entrySet()) {
      INDArray now = first.gradients().containsKey(kept.getKey())
          ? first.gradients().get(kept.getKey()) : first.outputs().get(kept.getKey());
      assertThat(now).as(kept.getKey() + " after five more passes").isEqualTo(kept.getValue());
    }
  }

  private static Map<String, INDArray> feed(INDArray values, INDArray time, INDArray future,
      INDArray target, int from, int to, Map<String, INDArray> samples) {
    INDArray v = rows(values, from, to);
    INDArray t = rows(time, from, to);
    Map<String, INDArray> feed = new HashMap<>(samples);
    feed.put(InformerGraph.ENCODER_VALUES, v);
    feed.put(InformerGraph.ENCODER_TIME, t);
    feed.put(InformerGraph.DECODER_VALUES, DecoderInput.values(v, 12, 6));
    feed.put(InformerGraph.DECODER_TIME, DecoderInput.time(t, rows(future, from, to), 12));
    feed.put(InformerGraph.TARGET, rows(target, from, to));
    feed.put(InformerGraph.TRAINING, Nd4j.ones(DataType.DOUBLE, 1));
    return feed;
  }

  private static INDArray rows(INDArray x, int from, int to) {
    return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all())
        .dup('c');
  }
}

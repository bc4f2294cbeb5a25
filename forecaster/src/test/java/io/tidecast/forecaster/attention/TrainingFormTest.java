package io.tidecast.forecaster.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The SameDiff form of each kernel: the same function as the eager form, and right gradients. */
class TrainingFormTest {

  private static final int BATCH = 2;
  private static final int HEADS = 2;
  private static final int LENGTH = 12;
  private static final int DIM = 3;

  static Stream<Arguments> kernels() {
    // ProbSparse with factor 1 at L = 12: 3 sampled keys and 3 active queries of 12.
    return Stream.of(Arguments.of(FullAttention.INSTANCE, false),
        Arguments.of(FullAttention.INSTANCE, true),
        Arguments.of(new ProbSparseAttention(1, 17), false),
        Arguments.of(new ProbSparseAttention(1, 17), true),
        // above this many keys the graph takes the gathered, active-rows-only layout
        Arguments.of(new ProbSparseAttention(1, 17, 4), false),
        Arguments.of(new ProbSparseAttention(1, 17, 4), true),
        // factor 2: 6 sampled keys a query, scored in two gathered blocks (4 and 2)
        Arguments.of(new ProbSparseAttention(2, 17, 4), false),
        Arguments.of(new ProbSparseAttention(2, 17, 4), true));
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void graphFormComputesWhatTheEagerFormComputes(AttentionKernel kernel, boolean causal) {
    Graph g = new Graph(kernel, causal);
    INDArray fromGraph = g.sd.output(g.feed, g.out.name()).get(g.out.name());
    INDArray eager = kernel.attend(g.array("q"), g.array("k"), g.array("v"), causal, 0.6);
    assertThat(ReferenceAttention.maxAbs(fromGraph.sub(eager))).isLessThan(1e-12);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void gradientsMatchFiniteDifferences(AttentionKernel kernel, boolean causal) {
    Graph g = new Graph(kernel, causal);
    Map<String, INDArray> analytic = g.sd.calculateGradients(g.feed, "q", "k", "v");
    double eps = 1e-6;
    int checked = 0;
    for (String name : new String[] {"q", "k", "v"}) {
      INDArray x = g.sd.getArrForVarName(name);
      INDArray grad = analytic.get(name);
      assertThat(grad.amaxNumber().doubleValue()).as("gradient of " + name).isGreaterThan(0);
      for (long i = 0; i < x.length(); i++) {
        double original = x.getDouble(i);
        x.putScalar(i, original + eps);
        double plus = g.loss();
        x.putScalar(i, original - eps);
        double minus = g.loss();
        x.putScalar(i, original);
        double numeric = (plus - minus) / (2 * eps);
        double a = grad.getDouble(i);
        double error = Math.abs(a - numeric) / Math.max(1e-6, Math.abs(a) + Math.abs(numeric));
        assertThat(error).as("%s[%d]: analytic %s, numeric %s", name, i, a, numeric)
            .isLessThan(1e-5);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(3 * BATCH * HEADS * LENGTH * DIM);
  }

  /** q, k, v as variables, {@code loss = sum(attention(q, k, v) * weights)}. */
  private static final class Graph {
    final SameDiff sd = SameDiff.create();
    final SDVariable out;
    final SDVariable loss;
    final Map<String, INDArray> feed;

    Graph(AttentionKernel kernel, boolean causal) {
      SplittableRandom random = new SplittableRandom(3);
      AttentionGraph graph = new AttentionGraph(sd, DataType.DOUBLE);
      SDVariable q = sd.var("q", random(random));
      SDVariable k = sd.var("k", random(random));
      SDVariable v = sd.var("v", random(random));
      out = kernel.build(graph, "attention", q, k, v,
          new AttentionShape(HEADS, LENGTH, LENGTH, DIM), causal, 0.6);
      loss = out.mul(sd.constant(random(random))).sum();
      loss.markAsLoss();
      feed = graph.fixedSamples();
    }

    INDArray array(String name) {
      return sd.getArrForVarName(name).dup();
    }

    double loss() {
      return sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
    }

    private static INDArray random(SplittableRandom random) {
      return ReferenceAttention.array(
          ReferenceAttention.random(random, BATCH, HEADS, LENGTH, DIM), DataType.DOUBLE);
    }
  }
}

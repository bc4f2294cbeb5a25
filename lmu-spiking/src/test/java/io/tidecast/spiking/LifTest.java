package io.tidecast.spiking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LifTest {

  private static final Lif LIF = Lif.REFERENCE;

  @Test
  void integratesLeaksFiresAtTheThresholdAndResets() {
    // v: 0.75, 0.625, 1.3125 (fires, reset), 1.0 (exactly the threshold: fires), 0, 1.0 (fires)
    Lif.Trace trace = LIF.run(new double[] {1.5, 0.5, 2.0, 2.0, 0.0, 2.0});
    assertThat(trace.membrane()).containsExactly(0.75, 0.625, 1.3125, 1.0, 0.0, 1.0);
    assertThat(trace.spikes()).containsExactly(0, 0, 1, 1, 0, 1);
  }

  @Test
  void theGraphSpikesAsTheReferenceOnRandomInput() {
    int batch = 3;
    int time = 40;
    int channels = 5;
    Nd4j.getRandom().setSeed(4);
    INDArray input = Nd4j.rand(DataType.DOUBLE, batch, time, channels).muli(2.5);
    INDArray spikes = graphSpikes(input, time).output();
    int fired = 0;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < channels; c++) {
        double[] x = new double[time];
        for (int t = 0; t < time; t++) {
          x[t] = input.getDouble(b, t, c);
        }
        double[] expected = LIF.run(x).spikes();
        for (int t = 0; t < time; t++) {
          assertThat(spikes.getDouble(b, t, c)).as("b %d t %d c %d", b, t, c)
              .isCloseTo(expected[t], within(1e-12));
          fired += (int) expected[t];
        }
      }
    }
    assertThat(fired).as("some fire, some do not").isBetween(20, batch * time * channels - 20);
  }

  @Test
  void theSurrogateGradientMatchesTheHandComputedChainRule() {
    // no spike: x = [1.5, 0.5]; v = 0.75, 0.625; loss = s0 + s1
    // dL/dx1 = g(v1) / 2; dL/dx0 = g(v0) / 2 + g(v1) * (1 - 1/2) * (1 / 2)
    double[] quiet = gradient(new double[] {1.5, 0.5});
    assertThat(LIF.surrogate(0.75)).isCloseTo(0.786448, within(1e-6));
    assertThat(LIF.surrogate(0.625)).isCloseTo(0.596586, within(1e-6));
    assertThat(quiet[1]).isCloseTo(0.298293, within(1e-6));
    assertThat(quiet[0]).isCloseTo(0.542371, within(1e-6));

    // the first step fires exactly at the threshold (surrogate 1.0 there) and resets: nothing of
    // x0 reaches s1 through the reset
    double[] reset = gradient(new double[] {2.0, 1.0});
    assertThat(reset[0]).isCloseTo(0.5, within(1e-9));
    assertThat(reset[1]).isCloseTo(0.419974 / 2, within(1e-6));
  }

  @Test
  void aTruncatedGradientStopsAfterItsStepsButTheSpikesStayExact() {
    // with one step, s1 no longer reaches x0 through v0: dL/dx0 = g(v0) / 2 alone
    double[] truncated = gradient(new double[] {1.5, 0.5}, 1);
    assertThat(truncated[0]).isCloseTo(0.786448 / 2, within(1e-6));
    assertThat(truncated[1]).isCloseTo(0.298293, within(1e-6));
    assertThat(gradient(new double[] {1.5, 0.5}, 2)[0]).isCloseTo(0.542371, within(1e-6));

    SameDiff sd = SameDiff.create();
    INDArray input = Nd4j.createFromArray(new double[] {1.5, 0.5, 2.0, 2.0, 0.0, 2.0})
        .reshape(1, 6, 1);
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 1, 6, 1);
    SDVariable[] last = new SDVariable[1];
    SDVariable spikes = sd.identity("s", LIF.spikes(sd, x, 6, null, 1, last));
    sd.identity("last", last[0]);
    Map<String, INDArray> out = sd.output(Map.of("x", input), "s", "last");
    assertThat(out.get("s").reshape(6).toDoubleVector()).containsExactly(0, 0, 1, 1, 0, 1);
    assertThat(out.get("last").getDouble(0)).as("reset after the last spike").isZero();
  }

  /** d(sum of spikes)/d(input) for one neuron over a short sequence. */
  private static double[] gradient(double[] x) {
    return gradient(x, x.length);
  }

  private static double[] gradient(double[] x, int truncation) {
    // the input as a trainable variable: SameDiff differentiates with respect to those
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.var("x", Nd4j.createFromArray(x).reshape(1, x.length, 1));
    sd.setLossVariables(LIF.spikes(sd, in, x.length, null, truncation, null).sum("loss"));
    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), List.of("x"));
    return grads.get("x").reshape(x.length).toDoubleVector();
  }

  private record Graph(SameDiff sd, SDVariable spikes, INDArray input) {
    INDArray output() {
      return sd.output(Map.of("x", input), spikes.name()).get(spikes.name());
    }
  }

  private static Graph graphSpikes(INDArray input, int time) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, input.shape());
    SDVariable spikes = sd.identity("spikes", LIF.spikes(sd, x, time));
    return new Graph(sd, spikes, input);
  }
}

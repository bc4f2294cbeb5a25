package io.tidecast.zoo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayersTest {

  private final SameDiff sd = SameDiff.create();
  private final Layers layers = new Layers(sd, DataType.DOUBLE, new SplittableRandom(1));

  @Test
  void maxPoolKernelThreeStrideTwoPaddingOne() {
    // one channel, time 7: windows {pad,0,1} {1,2,3} {3,4,5} {5,6,pad}
    SDVariable x = sd.constant(Nd4j.createFromArray(3.0, -1, 4, -1, 5, -9, -2).reshape(1, 7, 1));
    INDArray pooled = layers.maxPool3Stride2(x, 7, 1).eval();
    assertThat(pooled.shape()).containsExactly(1, 4, 1);
    assertThat(pooled.reshape(4).toDoubleVector()).containsExactly(3, 4, 5, -2);
  }

  @Test
  void circularConvolutionWrapsAtBothEnds() {
    // in 1, out 1, weights (previous, current, next) = (1, 10, 100)
    SDVariable x = sd.constant(Nd4j.createFromArray(1.0, 2, 3, 4).reshape(1, 4, 1));
    SDVariable y = layers.circularConv3("conv", x, 4, 1, 1, false);
    sd.getVariable("conv/w").setArray(Nd4j.createFromArray(1.0, 10, 100).reshape(3, 1));
    assertThat(y.eval().reshape(4).toDoubleVector())
        .containsExactly(4 + 10 + 200, 1 + 20 + 300, 2 + 30 + 400, 3 + 40 + 100);
  }

  @Test
  void layerNormStandardisesEachStep() {
    SDVariable x = sd.constant(Nd4j.createFromArray(1.0, 2, 3, 10, 10, 10).reshape(1, 2, 3));
    double[] y = layers.layerNorm("norm", x, 3).eval().reshape(6).toDoubleVector();
    double s = Math.sqrt(2.0 / 3 + 1e-5);
    assertThat(y).containsExactly(new double[] {-1 / s, 0, 1 / s, 0, 0, 0}, within(1e-12));
  }

  @Test
  void layerNormGradientsMatchFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(5);
    SDVariable x = sd.var("x", randomArray(random, 2, 3, 4));
    SDVariable y = layers.layerNorm("norm", x, 4);
    sd.getVariable("norm/gamma").setArray(randomArray(random, 4));
    sd.getVariable("norm/beta").setArray(randomArray(random, 4));
    assertGradientsMatchFiniteDifferences(
        y.mul(sd.constant(randomArray(random, 2, 3, 4))).sum("loss"), Map.of(), "x",
        "norm/gamma", "norm/beta");
  }

  @Test
  void batchNormGradientsMatchFiniteDifferencesInTraining() {
    SplittableRandom random = new SplittableRandom(6);
    SDVariable x = sd.var("x", randomArray(random, 2, 3, 4));
    SDVariable training = sd.placeHolder("training", DataType.DOUBLE, 1);
    SDVariable y = layers.batchNorm("norm", x, 4, training);
    sd.getVariable("norm/gamma").setArray(randomArray(random, 4));
    sd.getVariable("norm/beta").setArray(randomArray(random, 4));
    assertGradientsMatchFiniteDifferences(
        y.mul(sd.constant(randomArray(random, 2, 3, 4))).sum("loss"),
        Map.of("training", Nd4j.ones(DataType.DOUBLE, 1)), "x", "norm/gamma", "norm/beta");
  }

  /**
   * The gradients of {@code loss} (weighted by fixed random numbers, so that it depends on every
   * output unevenly) against central differences, for every element of the named variables.
   */
  private void assertGradientsMatchFiniteDifferences(SDVariable loss, Map<String, INDArray> feed,
      String... names) {
    sd.setLossVariables(loss);
    Map<String, INDArray> gradients = sd.calculateGradients(feed, names);
    for (String name : names) {
      INDArray value = sd.getVariable(name).getArr();
      INDArray flat = value.reshape(value.length());
      for (int i = 0; i < flat.length(); i++) {
        double original = flat.getDouble(i);
        flat.putScalar(i, original + 1e-6);
        double up = sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
        flat.putScalar(i, original - 1e-6);
        double down = sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
        flat.putScalar(i, original);
        assertThat(gradients.get(name).reshape(value.length()).getDouble(i))
            .as("%s[%d]", name, i).isCloseTo((up - down) / 2e-6, within(1e-6));
      }
    }
  }

  private static INDArray randomArray(SplittableRandom random, long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    return Nd4j.createFromArray(random.doubles(n, -1, 1).toArray()).reshape(shape);
  }

  @Test
  void geluIsTheErfForm() {
    SDVariable x = sd.constant(Nd4j.createFromArray(-1.0, 0, 1, 2));
    // 0.5 x (1 + erf(x / sqrt 2)) at -1, 0, 1, 2
    assertThat(layers.gelu(x).eval().toDoubleVector()).containsExactly(
        new double[] {-0.15865525393145707, 0, 0.8413447460685429, 1.9544997361036416},
        within(1e-12));
  }

  @Test
  void batchNormUsesTheMomentsOfTheBatchPerChannel() {
    SDVariable x = sd.constant(Nd4j.createFromArray(1.0, 5, 3, 5, 1, 7, 3, 7).reshape(2, 2, 2));
    // channel 0: 1, 3, 1, 3 (mean 2, var 1); channel 1: 5, 5, 7, 7 (mean 6, var 1)
    SDVariable mode = sd.var("mode", Nd4j.ones(DataType.DOUBLE, 1));
    SDVariable y = layers.batchNorm("bn", x, 2, mode);
    double s = Math.sqrt(1 + 1e-5);
    assertThat(y.eval().reshape(8).toDoubleVector()).containsExactly(
        new double[] {-1 / s, -1 / s, 1 / s, -1 / s, -1 / s, 1 / s, 1 / s, 1 / s}, within(1e-12));
    // in inference mode, the running statistics (here mean 0, variance 1) instead
    sd.getArrForVarName("mode").assign(0);
    double r = Math.sqrt(1 + 1e-5);
    assertThat(y.eval().reshape(8).toDoubleVector()).containsExactly(
        new double[] {1 / r, 5 / r, 3 / r, 5 / r, 1 / r, 7 / r, 3 / r, 7 / r}, within(1e-12));
  }

  @Test
  void linearLayerShapes() {
    SDVariable x = sd.constant(Nd4j.ones(DataType.DOUBLE, 2, 5, 3));
    Map<String, INDArray> out = sd.output(Map.of(),
        layers.linear("fc", x, 5, 3, 4, true).name());
    assertThat(out.values().iterator().next().shape()).containsExactly(2, 5, 4);
  }

  @Test
  void dropoutZeroesAFractionScalesTheRestAndIsTheIdentityOutsideTraining() {
    INDArray values = Nd4j.rand(DataType.DOUBLE, 4, 50, 20).addi(1); // all in [1, 2)
    SDVariable x = sd.var("x", values);
    SDVariable y = layers.dropout(x, 0.25, 50, 20);
    SDVariable loss = y.sum("loss");
    sd.setLossVariables(loss);

    Map<String, INDArray> training = Layers.dropoutMasks(sd, new SplittableRandom(7), 4);
    var result = sd.calculateGradientsAndOutputs(training, java.util.List.of(y.name()),
        java.util.List.of("x"));
    INDArray out = result.getOutputs().get(y.name());
    INDArray kept = out.neq(0).castTo(DataType.DOUBLE);
    double keptFraction = kept.meanNumber().doubleValue();
    assertThat(keptFraction).isBetween(0.72, 0.78); // 4,000 draws at 0.75
    // kept values are scaled by 1 / 0.75; the gradient is the same mask, scaled the same way
    // (the mask is fed in single precision)
    assertThat(out.sub(values.mul(kept).div(0.75)).amaxNumber().doubleValue()).isLessThan(1e-6);
    assertThat(result.getGradients().get("x").sub(kept.div(0.75)).amaxNumber().doubleValue())
        .isLessThan(1e-6);

    INDArray inference = sd.output(Layers.dropoutOff(sd, Map.of()), y.name()).get(y.name());
    assertThat(inference.equalsWithEps(values, 0)).isTrue();
  }

  @Test
  void eachDrawGivesNewMasksAndTheSameSeedTheSameOnes() {
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 50, 20);
    SDVariable y = layers.dropout(x, 0.25, 50, 20);
    // a second site in the same graph draws its own mask
    SDVariable z = layers.dropout(x, 0.25, 50, 20);
    Map<String, INDArray> feed = Map.of("x", Nd4j.ones(DataType.DOUBLE, 8, 50, 20));

    SplittableRandom random = new SplittableRandom(3);
    Map<String, INDArray> first = sd.output(withMasks(feed, random, 8), y.name(), z.name());
    INDArray second = sd.output(withMasks(feed, random, 8), y.name()).get(y.name());
    INDArray again = sd.output(withMasks(feed, new SplittableRandom(3), 8), y.name())
        .get(y.name());

    INDArray a = first.get(y.name()).neq(0).castTo(DataType.DOUBLE);
    INDArray b = second.neq(0).castTo(DataType.DOUBLE);
    INDArray c = first.get(z.name()).neq(0).castTo(DataType.DOUBLE);
    for (INDArray mask : java.util.List.of(a, b, c)) {
      assertThat(mask.meanNumber().doubleValue()).isBetween(0.73, 0.77); // 8,000 draws at 0.75
    }
    // independent masks agree on about 0.75^2 + 0.25^2 = 62.5% of the values
    assertThat(a.eq(b).castTo(DataType.DOUBLE).meanNumber().doubleValue()).isBetween(0.6, 0.65);
    assertThat(a.eq(c).castTo(DataType.DOUBLE).meanNumber().doubleValue()).isBetween(0.6, 0.65);
    assertThat(again).isEqualTo(first.get(y.name()));
  }

  @Test
  void aRateOfZeroLeavesTheValuesAloneAndOutsideTheRangeIsRefused() {
    SDVariable x = sd.var("x", Nd4j.ones(DataType.DOUBLE, 2, 3, 4));
    assertThat(layers.dropout(x, 0, 3, 4)).isSameAs(x);
    assertThat(Layers.dropoutMasks(sd, new SplittableRandom(1), 2)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> layers.dropout(x, 1.0, 3, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout rate 1.0");
  }

  private Map<String, INDArray> withMasks(Map<String, INDArray> feed, SplittableRandom random,
      int batch) {
    Map<String, INDArray> all = new java.util.HashMap<>(feed);
    all.putAll(Layers.dropoutMasks(sd, random, batch));
    return all;
  }
}

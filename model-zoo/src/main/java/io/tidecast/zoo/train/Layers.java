package io.tidecast.zoo.train;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff building blocks in the forms whose forward values and gradients were checked on this
 * ND4J version: linear layers as 2-D matmuls, layer norm from moments, GELU from erf, a circular
 * kernel-3 convolution as one matmul over shifted copies, max-pooling through {@code maxPooling2d}.
 * Sequences are {@code [batch, time, channels]} throughout.
 */
public final class Layers {

  public static final double LAYER_NORM_EPSILON = 1e-5;
  /** The scalar that picks the dropout masks of a forward pass ({@link #reseed}). */
  public static final String DROPOUT_SEED = "dropout/seed";

  private final SameDiff sd;
  private final DataType type;
  private final SplittableRandom random;
  private SDVariable dropoutSeed;
  private int dropoutSites;

  public Layers(SameDiff sd, DataType type, SplittableRandom random) {
    this.sd = sd;
    this.type = type;
    this.random = random;
  }

  public SameDiff sameDiff() {
    return sd;
  }

  /** A variable uniform in {@code [-bound, bound]}, the usual initialisation of a linear layer. */
  public SDVariable uniform(String name, double bound, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] values = new double[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (random.nextDouble() * 2 - 1) * bound;
    }
    return sd.var(name, Nd4j.createFromArray(values).reshape(shape).castTo(type));
  }

  public SDVariable constant(String name, double value, long... shape) {
    return sd.var(name, Nd4j.valueArrayOf(shape, value, type));
  }

  /** {@code x W + b} over the last axis: {@code [batch, time, in]} to {@code [batch, time, out]}. */
  public SDVariable linear(String name, SDVariable x, int time, int in, int out, boolean bias) {
    double bound = 1 / Math.sqrt(in);
    SDVariable y = sd.mmul(sd.reshape(x, -1, in), uniform(name + "/w", bound, in, out));
    if (bias) {
      y = y.add(uniform(name + "/b", bound, out));
    }
    return sd.reshape(y, -1, time, out);
  }

  /**
   * A kernel-3 convolution with circular padding over time, {@code [batch, time, in]} to
   * {@code [batch, time, out]}: the previous, current and next steps (wrapping at the ends) side by
   * side, times one {@code [3 in, out]} weight.
   */
  public SDVariable circularConv3(String name, SDVariable x, int time, int in, int out, boolean bias) {
    SDVariable previous = sd.concat(1, slice(x, time - 1, time), slice(x, 0, time - 1));
    SDVariable next = sd.concat(1, slice(x, 1, time), slice(x, 0, 1));
    SDVariable stacked = sd.concat(2, previous, x, next); // [batch, time, 3 in]
    return linear(name, stacked, time, 3 * in, out, bias);
  }

  /**
   * A causal kernel-3 convolution over time, {@code [batch, time, in]} to {@code [batch, time, out]}:
   * the steps two back, one back and the current one (zeros before the first step) side by side,
   * times one {@code [3 in, out]} weight. Step {@code t} reads nothing after {@code t}.
   */
  public SDVariable causalConv3(String name, SDVariable x, int time, int in, int out) {
    return causalConv3(name, x, time, in, out, null);
  }

  /**
   * {@link #causalConv3(String, SDVariable, int, int, int)} continuing a sequence: the two steps
   * before the first are {@code context} ({@code [batch, 2, in]}) instead of zeros.
   */
  public SDVariable causalConv3(String name, SDVariable x, int time, int in, int out,
      SDVariable context) {
    SDVariable before = context == null ? slice(x, 0, 2).mul(0) : context;
    SDVariable padded = sd.concat(1, before, x); // [batch, time + 2, in]
    SDVariable stacked = sd.concat(2, slice(padded, 0, time), slice(padded, 1, time + 1),
        slice(padded, 2, time + 2));
    return linear(name, stacked, time, 3 * in, out, true);
  }

  /** Steps {@code [from, to)} of {@code [batch, time, channels]}. */
  public SDVariable slice(SDVariable x, int from, int to) {
    return x.get(SDIndex.all(), SDIndex.interval(from, to), SDIndex.all());
  }

  /** Feature {@code f} of {@code [batch, time, features]}: {@code [batch, time]}. */
  public SDVariable field(SDVariable x, int f) {
    return x.get(SDIndex.all(), SDIndex.all(), SDIndex.point(f));
  }

  /**
   * Layer norm over the last axis with a learned scale and shift, on {@code [rows, width]}. The
   * per-row scale and the per-column gamma are spread to the full shape by a one-column matmul
   * before they multiply: ND4J's gradient of a broadcast multiply reduces over the broadcast axis
   * about ten times slower than a matmul does, and was the largest single cost of a training step.
   */
  public SDVariable layerNorm(String name, SDVariable x, int width) {
    SDVariable rows = sd.reshape(x, -1, width);
    SDVariable mean = rows.mean(true, 1); // [rows, 1]
    SDVariable centred = rows.sub(mean);
    SDVariable variance = centred.mul(centred).mean(true, 1);
    SDVariable scale = sd.mmul(sd.math().rsqrt(variance.add(LAYER_NORM_EPSILON)), onesRow(width));
    SDVariable gamma = sd.mmul(sd.onesLike(mean),
        sd.reshape(constant(name + "/gamma", 1, width), 1, width));
    SDVariable normalised = centred.mul(scale).mul(gamma)
        .add(constant(name + "/beta", 0, width));
    return sd.reshape(normalised, sd.shape(x));
  }

  /** A constant {@code [1, width]} row of ones, one per width. */
  private SDVariable onesRow(int width) {
    String name = "ones/" + width;
    return sd.hasVariable(name) ? sd.getVariable(name)
        : sd.constant(name, Nd4j.ones(type, 1, width));
  }

  /** GELU in its exact form, {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  public SDVariable gelu(SDVariable x) {
    return x.mul(0.5).mul(sd.math().erf(x.div(Math.sqrt(2))).add(1));
  }

  /**
   * Max-pooling over time with kernel 3, stride 2 and padding 1 (padded steps never win):
   * {@code [batch, time, channels]} to {@code [batch, floor((time - 1) / 2) + 1, channels]}.
   */
  public SDVariable maxPool3Stride2(SDVariable x, int time, int channels) {
    SDVariable floor = slice(x, 0, 1).mul(0).sub(1e9); // a step below every value
    SDVariable padded = sd.concat(1, floor, x, floor); // [batch, time + 2, channels]
    SDVariable image = sd.reshape(sd.permute(padded, 0, 2, 1), -1, channels, 1, time + 2);
    SDVariable pooled = sd.cnn().maxPooling2d(image, Pooling2DConfig.builder()
        .kH(1).kW(3).sH(1).sW(2).pH(0).pW(0).dH(1).dW(1).paddingMode(PaddingMode.VALID)
        .isNHWC(false).build());
    int out = (time - 1) / 2 + 1;
    return sd.permute(sd.reshape(pooled, -1, channels, out), 0, 2, 1);
  }

  /**
   * Batch norm over batch and time per channel. With {@code training} = 1 it uses this batch's
   * mean and variance (outputs {@code name/batchMean}, {@code name/batchVariance}, for the caller
   * to fold into the running averages); with 0 the running averages held in the constants
   * {@code name/runningMean} and {@code name/runningVariance}. ND4J's own batch norm has no
   * gradient, so it is written out here.
   */
  public SDVariable batchNorm(String name, SDVariable x, int channels, SDVariable training) {
    SDVariable batchMean = x.mean(name + "/batchMean", true, 0, 1); // [1, 1, channels]
    SDVariable deviation = x.sub(batchMean);
    SDVariable batchVariance = deviation.mul(deviation).mean(name + "/batchVariance", true, 0, 1);
    SDVariable runningMean = sd.constant(name + TrainableGraph.RUNNING_MEAN,
        Nd4j.zeros(type, 1, 1, channels));
    SDVariable runningVariance = sd.constant(name + TrainableGraph.RUNNING_VARIANCE,
        Nd4j.ones(type, 1, 1, channels));
    SDVariable inference = training.rsub(1.0);
    SDVariable mean = batchMean.mul(training).add(runningMean.mul(inference));
    SDVariable variance = batchVariance.mul(training).add(runningVariance.mul(inference));
    SDVariable normalised = x.sub(mean).mul(sd.math().rsqrt(variance.add(LAYER_NORM_EPSILON)));
    return normalised.mul(constant(name + "/gamma", 1, channels))
        .add(constant(name + "/beta", 0, channels));
  }

  /** A constant array in this graph's type. */
  public SDVariable fixed(String name, INDArray value) {
    return sd.constant(name, value.castTo(type));
  }

  /**
   * Inverted dropout: each value is zeroed with probability {@code rate * training} and the rest
   * scaled by {@code 1 / (1 - rate * training)}, so with {@code training} 0 it is the identity. The
   * mask carries no gradient and comes from {@link #uniformLike}, set by the scalar
   * {@link #DROPOUT_SEED} (see {@link #reseed}). ND4J's own dropout ops have no gradient and stay
   * active at inference; its uniform op inside a graph ignores ND4J's seed and draws the same
   * numbers on every call (and other ones in another process), which made every training step
   * drop the same units.
   */
  public SDVariable dropout(SDVariable x, double rate, SDVariable training) {
    SDVariable dropped = training.mul(rate); // [1]
    SDVariable uniform = uniformLike(x, dropoutSites++).castTo(type);
    SDVariable kept = new StopGradient(sd, sd.gte(uniform, dropped).castTo(type))
        .outputVariable();
    return x.mul(kept.div(dropped.rsub(1.0)));
  }

  /**
   * Numbers in {@code [0, 1)} of {@code x}'s shape, a hash of each element's index, the site and
   * the seed: {@code frac(43758.5453 sin(12.9898 i + 78.233 site + seed))}, in double precision.
   * The same seed gives the same numbers in any process; a new seed, new ones.
   */
  private SDVariable uniformLike(SDVariable x, int site) {
    if (dropoutSeed == null) {
      dropoutSeed = sd.constant(DROPOUT_SEED, Nd4j.scalar(DataType.DOUBLE, 0.0));
    }
    SDVariable shape = sd.shape(x);
    SDVariable count = sd.prod(shape.castTo(DataType.DOUBLE));
    SDVariable index = sd.range(sd.constant(Nd4j.scalar(DataType.DOUBLE, 0.0)), count,
        sd.constant(Nd4j.scalar(DataType.DOUBLE, 1.0)), DataType.DOUBLE);
    SDVariable phase = index.mul(12.9898).add(78.233 * site).add(dropoutSeed);
    SDVariable h = sd.math().sin(phase).mul(43758.5453);
    return sd.reshape(h.sub(sd.math().floor(h)), shape);
  }

  /**
   * Sets the seed of every dropout mask of {@code sd} (a graph built with these layers) to a new
   * value from {@code random}: call before each forward pass in training. A graph without dropout
   * is left as it is.
   */
  public static void reseed(SameDiff sd, SplittableRandom random) {
    if (sd.hasVariable(DROPOUT_SEED)) {
      sd.getArrForVarName(DROPOUT_SEED).assign(random.nextDouble() * 1000);
    }
  }
}

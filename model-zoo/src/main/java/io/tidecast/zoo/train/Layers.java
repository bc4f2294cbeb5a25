package io.tidecast.zoo.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
  /** The name prefix of the dropout masks' placeholders ({@link #dropout}). */
  public static final String DROPOUT_MASK = "dropout/mask";
  private static final String RATE = "/rate";

  private final SameDiff sd;
  private final DataType type;
  private final SplittableRandom random;
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
    // per-channel factors spread over the rows by a one-column matmul (as in layerNorm)
    SDVariable rows = sd.reshape(x.sub(mean), -1, channels);
    SDVariable ones = sd.onesLike(rows.get(SDIndex.all(), SDIndex.interval(0, 1))); // [rows, 1]
    SDVariable scale = sd.mmul(ones,
        sd.reshape(sd.math().rsqrt(variance.add(LAYER_NORM_EPSILON)), 1, channels));
    SDVariable gamma = sd.mmul(ones, sd.reshape(constant(name + "/gamma", 1, channels), 1,
        channels));
    SDVariable normalised = rows.mul(scale).mul(gamma).add(constant(name + "/beta", 0, channels));
    return sd.reshape(normalised, sd.shape(x));
  }

  /** A constant array in this graph's type. */
  public SDVariable fixed(String name, INDArray value) {
    return sd.constant(name, value.castTo(type));
  }

  /**
   * Inverted dropout over {@code x [batch, time, width]}: {@code x} times a mask fed in through the
   * placeholder {@code dropout/mask<site>}, whose values are 0 (dropped, with probability
   * {@code rate}) or {@code 1 / (1 - rate)}. {@link #dropoutMasks} draws the masks for a training
   * pass; {@link #dropoutOff} feeds ones, the identity. The masks come from the training run's
   * seeded generator, so a run repeats in any process. (ND4J's dropout ops have no gradient and
   * stay on at inference; its uniform op inside a graph ignores ND4J's seed; a mask hashed from
   * element indices inside the graph cost a tenth of a training step, its {@code sin} alone 20 ns
   * an element.)
   */
  public SDVariable dropout(SDVariable x, double rate, long time, long width) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("dropout rate " + rate + " is outside [0, 1)");
    }
    if (rate == 0) {
      return x;
    }
    String name = DROPOUT_MASK + dropoutSites++;
    sd.constant(name + RATE, Nd4j.scalar(DataType.DOUBLE, rate));
    return x.mul(sd.placeHolder(name, type, -1, time, width));
  }

  /**
   * Fresh dropout masks for every dropout site of {@code sd} (a graph built with these layers),
   * for a batch of {@code batch} windows, drawn from {@code random}: feed them with each training
   * pass. Each value is dropped when a 16-bit draw falls below {@code rate * 65536}.
   */
  public static Map<String, INDArray> dropoutMasks(SameDiff sd, SplittableRandom random,
      int batch) {
    Map<String, INDArray> masks = new HashMap<>();
    for (SDVariable site : dropoutSites(sd)) {
      long[] shape = site.getShape();
      int n = Math.toIntExact(batch * shape[1] * shape[2]);
      double rate = sd.getArrForVarName(site.name() + RATE).getDouble(0);
      int threshold = (int) Math.round(rate * 65536);
      float kept = (float) (1 / (1 - rate));
      float[] mask = new float[n];
      for (int i = 0; i < n; i += 4) {
        long bits = random.nextLong();
        for (int j = i, end = Math.min(n, i + 4); j < end; j++, bits >>>= 16) {
          mask[j] = (bits & 0xFFFF) < threshold ? 0f : kept;
        }
      }
      masks.put(site.name(), Nd4j.createFromArray(mask).reshape(batch, shape[1], shape[2])
          .castTo(site.dataType()));
    }
    return masks;
  }

  /**
   * {@code feed} with every dropout site of {@code sd} fed ones (dropout off), for inference and
   * evaluation. Returns a new map; a graph without dropout gets {@code feed} as it is.
   */
  public static Map<String, INDArray> dropoutOff(SameDiff sd, Map<String, INDArray> feed) {
    Map<String, INDArray> all = new HashMap<>(feed);
    for (SDVariable site : dropoutSites(sd)) {
      long[] shape = site.getShape();
      all.put(site.name(), Nd4j.ones(site.dataType(), 1, shape[1], shape[2]));
    }
    return all;
  }

  private static List<SDVariable> dropoutSites(SameDiff sd) {
    return sd.variables().stream()
        .filter(v -> v.getVariableType() == VariableType.PLACEHOLDER
            && v.name().startsWith(DROPOUT_MASK))
        .toList();
  }
}

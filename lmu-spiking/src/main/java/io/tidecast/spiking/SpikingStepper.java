package io.tidecast.spiking;

import io.tidecast.zoo.lmuformer.LegendreMemory;
import io.tidecast.zoo.lmuformer.LmuConfig;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The spiking LMUFormer one reading at a time, in double precision: what {@link SpikingGraph}
 * computes over a whole stream, step by step, with a fixed-size state per series. Its neurons are
 * the graph's to the last bit ({@link Lif#integrate}); its sums differ from the graph's matrix
 * products only in their order.
 *
 * <p>The state, one {@code double[]}: the last {@code inputLength} readings (the differenced input
 * and the linear head read them), the last two inputs of every convolution, every neuron's
 * membrane, the last {@code memoryWindow - 1} spikes into each block's memory, and the
 * representation after the last reading (the head reads it). The memory itself is recomputed from
 * the spikes it holds: {@code m = sum of H_k} over the steps {@code k} back whose input fired, which
 * costs additions only.
 */
public final class SpikingStepper {

  private final LmuConfig c;
  private final Lif lif;
  private final int window;
  private final double[][] memoryResponse; // H_k, k < window
  private final double[][] rawResponse; // the linear head's, k < inputLength
  private final Conv[] convs;
  private final Conv position;
  private final Norm positionNorm;
  private final Block[] blocks;
  private final Map<String, Integer> membranes = new LinkedHashMap<>();
  private final double[][] head;
  private final double[] headBias;
  private final double[][] linear;
  private final double[] linearBias;
  private final int rawAt;
  private final int xAt;
  private final int size;

  public SpikingStepper(SpikingConfig config, Map<String, INDArray> weights) {
    this.c = config.lmu();
    this.lif = config.lif();
    this.window = c.memoryWindow();
    this.memoryResponse = new LegendreMemory(c.order(), window).impulseResponse(window);
    this.rawResponse = new LegendreMemory(c.order(), c.inputLength())
        .impulseResponse(c.inputLength());
    int at = 0;
    rawAt = at;
    at += c.inputLength() * c.inputChannels();
    int d = c.dModel();
    convs = new Conv[c.convLayers()];
    int in = c.inputChannels();
    for (int j = 0; j < convs.length; j++) {
      convs[j] = new Conv("patch/conv" + j, weights, in, d, at);
      at += 2 * in;
      in = d;
    }
    position = new Conv("patch/position", weights, d, d, at);
    at += 2 * d;
    positionNorm = position.norm;
    List<String> neurons = new ArrayList<>();
    for (int j = 0; j < convs.length; j++) {
      neurons.add("patch/conv" + j);
    }
    blocks = new Block[c.layers()];
    for (int b = 0; b < blocks.length; b++) {
      blocks[b] = new Block("block" + b, weights, at);
      at += (window - 1) * c.memoryChannels();
      for (String n : List.of("/u", "/memory", "/h", "/mix1")) {
        neurons.add("block" + b + n);
      }
    }
    Map<String, Integer> widths = Map.of("/u", c.memoryChannels(),
        "/memory", c.memoryChannels() * c.order(), "/h", d, "/mix1", c.mlpRatio() * d);
    for (String n : neurons) {
      membranes.put(n, at);
      at += n.startsWith("patch/") ? d : widths.get(n.substring(n.indexOf('/')));
    }
    xAt = at;
    at += d;
    size = at;
    head = matrix(weights, "head/w");
    headBias = vector(weights, "head/b");
    linear = c.linearHead() ? matrix(weights, "linear/w") : null;
    linearBias = c.linearHead() ? vector(weights, "linear/b") : null;
  }

  /** Doubles per series. */
  public int stateSize() {
    return size;
  }

  /** The neuron layers in the order the network runs them, as the graph names them. */
  public List<String> neurons() {
    return List.copyOf(membranes.keySet());
  }

  /**
   * Takes one reading ({@code scaled}, the model's channels) into {@code state}, in place.
   *
   * @param spikes receives, when not null, each neuron layer's spikes at this step
   */
  public void step(double[] state, double[] scaled, Map<String, double[]> spikes) {
    int channels = c.inputChannels();
    int length = c.inputLength();
    double[] x = new double[channels];
    int newest = rawAt + (length - 1) * channels;
    for (int k = 0; k < channels; k++) {
      x[k] = c.difference() ? scaled[k] - state[newest + k] : scaled[k];
    }
    System.arraycopy(state, rawAt + channels, state, rawAt, (length - 1) * channels);
    System.arraycopy(scaled, 0, state, newest, channels);

    for (int j = 0; j < convs.length; j++) {
      String name = "patch/conv" + j;
      x = fire(name, convs[j].norm.apply(convs[j].apply(state, x)), state, spikes);
    }
    double[] p = positionNorm.apply(position.apply(state, x));
    for (int i = 0; i < x.length; i++) {
      x[i] += p[i];
    }
    for (Block block : blocks) {
      x = block.apply(state, x, spikes);
    }
    System.arraycopy(x, 0, state, xAt, x.length);
  }

  /** The forecast after the last reading taken, scaled, {@code [horizon][outputs]}. */
  public double[][] forecast(double[] state) {
    int outputs = c.outputChannels();
    double[] flat = affine(state, xAt, c.dModel(), head, headBias);
    double[][] out = new double[c.horizon()][outputs];
    for (int h = 0; h < c.horizon(); h++) {
      for (int o = 0; o < outputs; o++) {
        out[h][o] = flat[h * outputs + o];
      }
    }
    if (linear != null) {
      int channels = c.inputChannels();
      int length = c.inputLength();
      for (int o = 0; o < outputs; o++) {
        int channel = c.targets().get(o);
        double[] coefficients = new double[c.order()];
        for (int k = 0; k < length; k++) {
          double v = state[rawAt + (length - 1 - k) * channels + channel];
          for (int j = 0; j < coefficients.length; j++) {
            coefficients[j] += rawResponse[k][j] * v;
          }
        }
        double[] read = affine(coefficients, 0, coefficients.length, linear, linearBias);
        for (int h = 0; h < c.horizon(); h++) {
          out[h][o] += read[h];
        }
      }
    }
    return out;
  }

  /** Neurons {@code name} take {@code input}; their membranes move on in {@code state}. */
  private double[] fire(String name, double[] input, double[] state,
      Map<String, double[]> spikes) {
    int at = membranes.get(name);
    double[] out = new double[input.length];
    for (int i = 0; i < input.length; i++) {
      double v = lif.integrate(state[at + i], input[i]);
      boolean fired = lif.fires(v);
      out[i] = fired ? 1 : 0;
      state[at + i] = fired ? 0 : v;
    }
    if (spikes != null) {
      spikes.put(name, out.clone());
    }
    return out;
  }

  /** {@code b + x W} for {@code x = values[from, from + n)}. */
  private static double[] affine(double[] values, int from, int n, double[][] w, double[] b) {
    double[] y = new double[b.length];
    for (int i = 0; i < n; i++) {
      double v = values[from + i];
      if (v != 0) {
        double[] row = w[i];
        for (int j = 0; j < y.length; j++) {
          y[j] += v * row[j];
        }
      }
    }
    for (int j = 0; j < y.length; j++) {
      y[j] += b[j];
    }
    return y;
  }

  private static double[][] matrix(Map<String, INDArray> weights, String name) {
    INDArray w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException("weight " + name + " is missing");
    }
    return w.castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  private static double[] vector(Map<String, INDArray> weights, String name) {
    INDArray w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException("weight " + name + " is missing");
    }
    return w.castTo(DataType.DOUBLE).reshape(w.length()).toDoubleVector();
  }

  /** Batch norm with its running statistics. */
  private static final class Norm {
    final double[] mean;
    final double[] scale;
    final double[] gamma;
    final double[] beta;

    Norm(String name, Map<String, INDArray> weights) {
      mean = vector(weights, name + TrainableGraph.RUNNING_MEAN);
      double[] variance = vector(weights, name + TrainableGraph.RUNNING_VARIANCE);
      scale = new double[variance.length];
      for (int i = 0; i < scale.length; i++) {
        scale[i] = 1 / Math.sqrt(variance[i] + Layers.LAYER_NORM_EPSILON);
      }
      gamma = vector(weights, name + "/gamma");
      beta = vector(weights, name + "/beta");
    }

    double[] apply(double[] x) {
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = (x[i] - mean[i]) * scale[i] * gamma[i] + beta[i];
      }
      return y;
    }
  }

  /** A causal kernel-3 convolution whose last two inputs live in the state at {@code at}. */
  private static final class Conv {
    final double[][] w;
    final double[] b;
    final int in;
    final int at;
    final Norm norm;

    Conv(String name, Map<String, INDArray> weights, int in, int out, int at) {
      this.w = matrix(weights, name + "/w");
      this.b = vector(weights, name + "/b");
      this.in = in;
      this.at = at;
      this.norm = weights.containsKey(name + "/norm/gamma") ? new Norm(name + "/norm", weights)
          : null;
      if (w.length != 3 * in || b.length != out) {
        throw new IllegalArgumentException(name + " does not fit " + in + " -> " + out);
      }
    }

    double[] apply(double[] state, double[] x) {
      double[] stacked = new double[3 * in];
      System.arraycopy(state, at, stacked, 0, 2 * in);
      System.arraycopy(x, 0, stacked, 2 * in, in);
      System.arraycopy(state, at + in, state, at, in);
      System.arraycopy(x, 0, state, at + in, in);
      return affine(stacked, 0, stacked.length, w, b);
    }
  }

  /** A block: memory input, memory, read-out, hidden state, channel mixer. */
  private final class Block {
    final String name;
    final double[][] u;
    final double[] uBias;
    final Norm uNorm;
    final Norm memoryNorm;
    final double[][] h;
    final double[] hBias;
    final Norm hNorm;
    final Norm norm1;
    final double[][] mix1;
    final double[] mix1Bias;
    final Norm mix1Norm;
    final double[][] mix2;
    final double[] mix2Bias;
    final Norm norm2;
    final int historyAt;

    Block(String name, Map<String, INDArray> weights, int historyAt) {
      this.name = name;
      u = matrix(weights, name + "/u/w");
      uBias = vector(weights, name + "/u/b");
      uNorm = new Norm(name + "/u/norm", weights);
      memoryNorm = new Norm(name + "/memory/norm", weights);
      h = matrix(weights, name + "/h/w");
      hBias = vector(weights, name + "/h/b");
      hNorm = new Norm(name + "/h/norm", weights);
      norm1 = new Norm(name + "/norm1", weights);
      mix1 = matrix(weights, name + "/mix1/w");
      mix1Bias = vector(weights, name + "/mix1/b");
      mix1Norm = new Norm(name + "/mix1/norm", weights);
      mix2 = matrix(weights, name + "/mix2/w");
      mix2Bias = vector(weights, name + "/mix2/b");
      norm2 = new Norm(name + "/norm2", weights);
      this.historyAt = historyAt;
    }

    double[] apply(double[] state, double[] x, Map<String, double[]> spikes) {
      int channels = c.memoryChannels();
      int order = c.order();
      int d = c.dModel();
      double[] input = fire(name + "/u", uNorm.apply(affine(x, 0, d, u, uBias)), state, spikes);
      // the memory after this step: H_0 u_t + H_1 u_{t-1} + ... over the window
      double[] m = new double[channels * order];
      for (int k = 0; k < window; k++) {
        for (int ch = 0; ch < channels; ch++) {
          double fired = k == 0 ? input[ch] : state[historyAt + (window - 1 - k) * channels + ch];
          if (fired != 0) {
            for (int o = 0; o < order; o++) {
              m[ch * order + o] += memoryResponse[k][o] * fired;
            }
          }
        }
      }
      System.arraycopy(state, historyAt + channels, state, historyAt, (window - 2) * channels);
      System.arraycopy(input, 0, state, historyAt + (window - 2) * channels, channels);
      double[] read = fire(name + "/memory", memoryNorm.apply(m), state, spikes);
      double[] joined = new double[read.length + d];
      System.arraycopy(read, 0, joined, 0, read.length);
      System.arraycopy(x, 0, joined, read.length, d);
      double[] hidden = fire(name + "/h", hNorm.apply(affine(joined, 0, joined.length, h, hBias)),
          state, spikes);
      double[] y = new double[d];
      for (int i = 0; i < d; i++) {
        y[i] = x[i] + hidden[i];
      }
      y = norm1.apply(y);
      double[] expanded = fire(name + "/mix1",
          mix1Norm.apply(affine(y, 0, d, mix1, mix1Bias)), state, spikes);
      double[] mixed = affine(expanded, 0, expanded.length, mix2, mix2Bias);
      for (int i = 0; i < d; i++) {
        mixed[i] += y[i];
      }
      return norm2.apply(mixed);
    }
  }
}

package io.tidecast.spiking;

import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.lmuformer.LegendreMemory;
import io.tidecast.zoo.lmuformer.LmuConfig;
import io.tidecast.zoo.lmuformer.LmuGraph;
import io.tidecast.zoo.train.GraphWeights;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spiking LMUFormer in its parallel form. It is the LMUFormer of the model zoo
 * ({@link LmuGraph}) with leaky integrate-and-fire neurons ({@link Lif}), each after a batch norm,
 * where that one has GELU:
 *
 * <ol>
 *   <li>Patch embedding: each causal kernel-3 convolution, batch norm, neurons; then
 *       {@code x = s + BN(conv(s))} on the last spikes {@code s} (relative position).
 *   <li>Blocks, at every step: {@code u = LIF(BN(x W_u + b))}; the Legendre memory of the spikes
 *       {@code u} over the last {@code memoryWindow} steps (real-valued); {@code LIF(BN(m))};
 *       {@code h = LIF(BN([LIF(BN(m)); x] W_h + b))}; {@code x = BN(x + h)}; the channel mixer
 *       {@code x = BN(x + W_2 LIF(BN(W_1 x + b)))}.
 *   <li>Head: the last step's {@code x} to {@code horizon x outputs}, plus the linear read-out of
 *       the raw window's Legendre memory ({@link LmuGraph#linearHead}), fit before training.
 * </ol>
 *
 * <p>Two shapes of the same weights. The <em>window</em> shape (for training and evaluation) reads
 * {@code [batch, inputLength, channels]} with every neuron at rest and every convolution and
 * memory reading zeros before the window, and forecasts from its last step. The <em>chunk</em>
 * shape continues a stream: it reads {@code steps} readings and the state the previous chunk left
 * ({@code state/...} placeholders, the same names as {@code next/...} outputs: the last readings,
 * the convolutions' last inputs, each layer's membranes, the last memory inputs), and forecasts
 * after every step ({@code [batch, steps, horizon, outputs]}). A stream through chunks from zero
 * state is the window shape over the whole stream, which is what the stepper
 * ({@link SpikingStepper}) computes one reading at a time. Each neuron layer's spikes are the
 * outputs {@code spikes/<layer>}.
 */
public final class SpikingGraph implements TrainableGraph {

  public static final String VALUES = LmuGraph.VALUES;
  public static final String SPIKES = "spikes/";
  public static final String STATE = "state/";
  public static final String NEXT = "next/";

  private final SpikingConfig config;
  private final long seed;
  private final int steps;
  private final SameDiff sd = SameDiff.create();
  private final Layers layers;
  private final DataType type;
  private final Lif lif;
  private final List<String> batchNorms = new ArrayList<>();
  private final Map<String, Integer> normSteps = new HashMap<>();
  private final Map<String, Integer> neurons = new LinkedHashMap<>();
  private final Map<String, long[]> states = new LinkedHashMap<>();
  private SDVariable training;

  private SpikingGraph(SpikingConfig config, DataType type, long seed, int steps) {
    this.config = config;
    this.type = type;
    this.seed = seed;
    this.steps = steps;
    this.lif = config.lif();
    this.layers = new Layers(sd, type, new SplittableRandom(seed));
  }

  /** The window shape, with parameters drawn from {@code seed}. */
  public static SpikingGraph build(SpikingConfig config, DataType type, long seed) {
    SpikingGraph g = new SpikingGraph(config, type, seed, 0);
    g.assemble();
    return g;
  }

  /** The chunk shape over {@code steps} readings (at least 2), for inference. */
  public static SpikingGraph chunk(SpikingConfig config, DataType type, long seed, int steps) {
    if (steps < 2) {
      throw new IllegalArgumentException("a chunk has at least 2 steps, got " + steps);
    }
    SpikingGraph g = new SpikingGraph(config.forInference(), type, seed, steps);
    g.assemble();
    return g;
  }

  public SpikingConfig config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  @Override
  public SameDiff sameDiff() {
    return sd;
  }

  /** The neuron layers in order, with their widths. */
  public Map<String, Integer> neurons() {
    return Map.copyOf(neurons);
  }

  /** The neuron layers' names, in the order the network runs them. */
  public List<String> neuronOrder() {
    return List.copyOf(neurons.keySet());
  }

  /** The chunk shape's state: names (without {@link #STATE}) and shapes, batch first. */
  public Map<String, long[]> states() {
    return Map.copyOf(states);
  }

  /** A stream's state before its first reading: zeros, for {@code batch} series. */
  public Map<String, INDArray> initialState(int batch) {
    Map<String, INDArray> zero = new HashMap<>();
    states.forEach((name, shape) -> {
      long[] full = shape.clone();
      full[0] = batch;
      zero.put(name, Nd4j.zeros(type, full));
    });
    return zero;
  }

  /**
   * Runs the chunk shape over {@code values} ({@code [batch, steps, channels]}) from
   * {@code state}: the outputs {@code forecast}, {@code spikes/<layer>} and
   * {@code next/<state>}.
   */
  public Map<String, INDArray> continueWith(INDArray values, Map<String, INDArray> state) {
    if (steps == 0) {
      throw new IllegalStateException("the window shape carries no state");
    }
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(VALUES, values);
    feed.put(TRAINING, Nd4j.zeros(type, 1));
    state.forEach((name, value) -> feed.put(STATE + name, value));
    List<String> outputs = new ArrayList<>();
    outputs.add(FORECAST);
    neurons.keySet().forEach(n -> outputs.add(SPIKES + n));
    states.keySet().forEach(n -> outputs.add(NEXT + n));
    return Sessions.output(sd, Layers.dropoutOff(sd, feed), outputs);
  }

  @Override
  public List<String> batchNorms() {
    return List.copyOf(batchNorms);
  }

  @Override
  public int batchNormSteps(String name) {
    return normSteps.get(name);
  }

  @Override
  public Map<String, INDArray> feed(Windows.Batch batch, boolean train) {
    return Layers.dropoutOff(sd, LmuGraph.feed(batch, train, type));
  }

  @Override
  public boolean initialise(Windows train) {
    return config.lmu().linearHead()
        && LmuGraph.fitLinearHead(sd, config.lmu(), train, type);
  }

  @Override
  public Map<String, INDArray> weights() {
    return GraphWeights.of(sd, batchNorms);
  }

  @Override
  public void load(Map<String, INDArray> values) {
    GraphWeights.load(weights(), values);
  }

  private void assemble() {
    LmuConfig c = config.lmu();
    int length = c.inputLength();
    int time = steps == 0 ? length : steps;
    int channels = c.inputChannels();
    int d = c.dModel();
    SDVariable values = sd.placeHolder(VALUES, type, -1, time, channels);
    training = sd.placeHolder(TRAINING, type, 1);

    // the raw readings, with the last inputLength - 1 before the chunk in front of them
    SDVariable raw = values;
    int rawLength = time;
    if (steps > 0) {
      raw = sd.concat(1, state("raw", length - 1, channels), values);
      rawLength = length - 1 + time;
      next("raw", layers.slice(raw, time, rawLength));
    }
    SDVariable x = values;
    if (c.difference()) {
      SDVariable previous = steps == 0
          ? sd.concat(1, layers.slice(values, 0, 1).mul(0), layers.slice(values, 0, time - 1))
          : layers.slice(raw, length - 2, length - 2 + time);
      x = values.sub(previous);
    }
    int in = channels;
    for (int j = 0; j < c.convLayers(); j++) {
      String name = "patch/conv" + j;
      x = neuron(name, conv(name, x, time, in, d), d, time);
      in = d;
    }
    x = x.add(norm("patch/position/norm", conv("patch/position", x, time, d, d), d, time));

    LegendreMemory memory = new LegendreMemory(c.order(), c.memoryWindow());
    for (int b = 0; b < c.layers(); b++) {
      x = block("block" + b, x, time, memory);
    }

    int outputs = c.outputChannels();
    SDVariable forecast;
    if (steps == 0) {
      forecast = sd.reshape(layers.linear("head", layers.slice(x, time - 1, time), 1, d,
          c.horizon() * outputs, true), -1, c.horizon(), outputs);
      if (c.linearHead()) {
        forecast = forecast.add(sd.reshape(LmuGraph.linearHead(layers, c, values, length, 1), -1,
            c.horizon(), outputs));
      }
    } else {
      forecast = sd.reshape(layers.linear("head", x, time, d, c.horizon() * outputs, true), -1,
          time, c.horizon(), outputs);
      if (c.linearHead()) {
        forecast = forecast.add(LmuGraph.linearHead(layers, c, raw, rawLength, time));
      }
    }
    forecast = sd.identity(FORECAST, forecast);
    if (steps == 0) {
      SDVariable target = sd.placeHolder(TARGET, type, -1, c.horizon(), outputs);
      SDVariable error = forecast.sub(target);
      sd.setLossVariables(error.mul(error).mean(LOSS));
    }
  }

  private SDVariable block(String name, SDVariable x, int time, LegendreMemory memory) {
    LmuConfig c = config.lmu();
    int d = c.dModel();
    int channels = c.memoryChannels();
    int width = channels * c.order();
    int window = c.memoryWindow();
    SDVariable u = neuron(name + "/u", layers.linear(name + "/u", x, time, d, channels, true),
        channels, time);
    SDVariable history = u;
    int historyLength = time;
    if (steps > 0) {
      history = sd.concat(1, state(name + "/u", window - 1, channels), u);
      historyLength = window - 1 + time;
      next(name + "/u", layers.slice(history, time, historyLength));
    }
    SDVariable matrix = layers.fixed(name + "/memoryMatrix", Nd4j.createFromArray(
        LmuGraph.memoryMatrix(memory, historyLength, window, time)));
    // [batch, length, channels] -> [batch channels, length] x [length, time order]
    SDVariable flat = sd.reshape(sd.permute(history, 0, 2, 1), -1, historyLength);
    SDVariable m = sd.reshape(sd.mmul(flat, matrix), -1, channels, time, c.order());
    m = sd.reshape(sd.permute(m, 0, 2, 1, 3), -1, time, width);
    SDVariable read = neuron(name + "/memory", m, width, time);
    SDVariable h = neuron(name + "/h", layers.linear(name + "/h", sd.concat(2, read, x), time,
        width + d, d, true), d, time);
    x = norm(name + "/norm1", x.add(layers.dropout(h, c.dropout(), time, d)), d, time);
    SDVariable hidden = neuron(name + "/mix1", layers.linear(name + "/mix1", x, time, d,
        c.mlpRatio() * d, true), c.mlpRatio() * d, time);
    SDVariable mixed = layers.linear(name + "/mix2", hidden, time, c.mlpRatio() * d, d, true);
    return norm(name + "/norm2", x.add(layers.dropout(mixed, c.dropout(), time, d)), d, time);
  }

  /** Batch norm, then a layer of neurons: {@code [batch, time, width]} spikes. */
  private SDVariable neuron(String name, SDVariable x, int width, int time) {
    SDVariable normalised = norm(name + "/norm", x, width, time);
    SDVariable initial = steps > 0 ? state("membrane/" + name, width) : null;
    SDVariable[] last = new SDVariable[1];
    SDVariable spikes = lif.spikes(sd, normalised, time, initial, config.truncation(), last);
    if (steps > 0) {
      next("membrane/" + name, last[0]);
    }
    neurons.put(name, width);
    return sd.identity(SPIKES + name, spikes);
  }

  /** A causal kernel-3 convolution; in a chunk, continuing from the last two inputs. */
  private SDVariable conv(String name, SDVariable x, int time, int in, int out) {
    SDVariable context = null;
    if (steps > 0) {
      context = state(name, 2, in);
      next(name, layers.slice(sd.concat(1, context, x), time, time + 2));
    }
    return layers.causalConv3(name, x, time, in, out, context);
  }

  private SDVariable state(String name, long... shape) {
    long[] full = new long[shape.length + 1];
    full[0] = -1;
    System.arraycopy(shape, 0, full, 1, shape.length);
    states.put(name, full);
    return sd.placeHolder(STATE + name, type, full);
  }

  private void next(String name, SDVariable value) {
    sd.identity(NEXT + name, value);
  }

  private SDVariable norm(String name, SDVariable x, int channels, int time) {
    batchNorms.add(name);
    normSteps.put(name, time);
    return layers.batchNorm(name, x, channels, training);
  }
}

package io.tidecast.zoo.lmuformer;

import io.tidecast.zoo.baseline.Cholesky;
import io.tidecast.zoo.data.Windows;
import io.tidecast.zoo.train.GraphWeights;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The LMUFormer in its parallel (training) form, over whole windows {@code [batch, time, channels]}:
 *
 * <ol>
 *   <li>With {@code difference}, each reading minus the one before (zero before the first).
 *   <li>Patch embedding: {@code convLayers} causal kernel-3 convolutions, each with batch norm and
 *       GELU, then a relative-position branch (causal convolution and batch norm) added to it.
 *   <li>Blocks: {@code u = GELU(x W_u + b)} with {@code memoryChannels} channels; the Legendre
 *       memory of each over the last {@code memoryWindow} steps, as one matmul with the causal
 *       convolution matrix of the impulse response {@code H_k = Abar^k Bbar}
 *       ({@link #memoryMatrix}); {@code h = GELU([m; x] W_h + b)}; {@code x = BN(x + h)}; the
 *       channel mixer {@code x = BN(x + W_2 GELU(W_1 x))} (width {@code mlpRatio d}). The last block
 *       runs at the last step only, the only one the head reads.
 *   <li>Head: the last step's representation to {@code horizon x outputs}; with
 *       {@code linearHead}, plus for each target channel a linear map of the Legendre coefficients
 *       of its raw window (order {@code order}, window {@code inputLength}), shared by channels.
 * </ol>
 *
 * <p>Everything before the head is causal, and the memory windows are sized so that the last step
 * never reads the convolutions' zero padding ({@link LmuConfig#memoryWindow}): the streaming form
 * ({@link LmuStepper}) gives the same forecast after every reading.
 */
public final class LmuGraph implements TrainableGraph {

  public static final String VALUES = "values";

  private final LmuConfig config;
  private final long seed;
  private final SameDiff sd = SameDiff.create();
  private final Layers layers;
  private final DataType type;
  private final List<String> batchNorms = new ArrayList<>();
  private final Map<String, Integer> normSteps = new HashMap<>();
  private SDVariable training;

  private LmuGraph(LmuConfig config, DataType type, long seed) {
    this.config = config;
    this.seed = seed;
    this.type = type;
    this.layers = new Layers(sd, type, new SplittableRandom(seed));
  }

  /** Builds the graph with parameters drawn from {@code seed}. */
  public static LmuGraph build(LmuConfig config, DataType type, long seed) {
    LmuGraph g = new LmuGraph(config, type, seed);
    g.assemble();
    return g;
  }

  public LmuConfig config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  @Override
  public SameDiff sameDiff() {
    return sd;
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
    return Layers.dropoutOff(sd, feed(batch, train, type));
  }

  /**
   * The placeholders of a graph that reads the readings alone: {@link #VALUES}, the target when
   * the batch has one, and the training flag.
   */
  public static Map<String, INDArray> feed(Windows.Batch batch, boolean train, DataType type) {
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(VALUES, batch.values());
    if (batch.target() != null) {
      feed.put(TARGET, batch.target());
    }
    feed.put(TRAINING, Nd4j.valueArrayOf(new long[] {1}, train ? 1.0 : 0.0, type));
    return feed;
  }

  @Override
  public Map<String, INDArray> weights() {
    return GraphWeights.of(sd, batchNorms);
  }

  @Override
  public void load(Map<String, INDArray> values) {
    GraphWeights.load(weights(), values);
  }

  /**
   * With a linear head: fits it by least squares (a vanishing ridge) on the training windows,
   * every target channel's Legendre coefficients (and 1) against its next {@code horizon} values,
   * and zeroes the network's head, so that training starts from the best linear read-out and the
   * network learns what it leaves.
   */
  @Override
  public boolean initialise(Windows train) {
    return config.linearHead() && fitLinearHead(sd, config, train, type);
  }

  /**
   * Fits the linear head of a graph built with {@link #linearHead} ({@code linear/w},
   * {@code linear/b}) by least squares on the training windows, and zeroes the network's head
   * ({@code head/w}, {@code head/b}).
   *
   * @return whether any window was read
   */
  public static boolean fitLinearHead(SameDiff sd, LmuConfig config, Windows train,
      DataType type) {
    int order = config.order();
    int horizon = config.horizon();
    int features = order + 1;
    INDArray matrix = Nd4j.createFromArray(lastStepMemoryMatrix(
        new LegendreMemory(order, config.inputLength()), config.inputLength(),
        config.inputLength()));
    INDArray xtx = Nd4j.zeros(DataType.DOUBLE, features, features);
    INDArray xty = Nd4j.zeros(DataType.DOUBLE, features, horizon);
    int block = 256;
    long rows = 0;
    for (int from = 0; from < train.count(); from += block) {
      int[] starts = new int[Math.min(block, train.count() - from)];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = from + i;
      }
      Windows.Batch batch = train.batch(starts);
      INDArray values = batch.values().castTo(DataType.DOUBLE); // [n, L, C]
      INDArray target = batch.target().castTo(DataType.DOUBLE); // [n, H, outputs]
      for (int o = 0; o < config.outputChannels(); o++) {
        INDArray window = values.get(NDArrayIndex.all(), NDArrayIndex.all(),
            NDArrayIndex.point(config.targets().get(o))); // [n, L]
        INDArray x = Nd4j.hstack(window.mmul(matrix), Nd4j.ones(DataType.DOUBLE, starts.length, 1));
        INDArray y = target.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(o))
            .dup();
        xtx.addi(x.transpose().mmul(x));
        xty.addi(x.transpose().mmul(y));
        rows += starts.length;
      }
    }
    double trace = 0;
    for (int i = 0; i < order; i++) {
      trace += xtx.getDouble(i, i);
    }
    for (int i = 0; i < order; i++) {
      xtx.putScalar(i, i, xtx.getDouble(i, i) + 1e-6 * trace / order);
    }
    double[][] solution = Cholesky.solve(xtx.data().asDouble(), features,
        xty.data().asDouble(), horizon);
    sd.getArrForVarName("linear/w").assign(Nd4j.createFromArray(
        java.util.Arrays.copyOf(solution, order)).castTo(type));
    sd.getArrForVarName("linear/b").assign(Nd4j.createFromArray(solution[order]).castTo(type));
    sd.getArrForVarName("head/w").assign(0);
    sd.getArrForVarName("head/b").assign(0);
    return rows > 0;
  }

  /**
   * The causal convolution of a sequence with the impulse response of {@code memory}, cut after
   * {@code window} steps, as a matrix: row {@code s} holds, at columns {@code [t order, (t + 1)
   * order)}, {@code H_{t-s}} when {@code 0 <= t - s < window} and zeros otherwise, so that
   * {@code u [*, length]} times it is the memory after every step, {@code [*, length x order]}.
   */
  public static double[][] memoryMatrix(LegendreMemory memory, int length, int window) {
    return memoryMatrix(memory, length, window, length);
  }

  /** The last step's block of {@link #memoryMatrix}: {@code [length][order]}. */
  public static double[][] lastStepMemoryMatrix(LegendreMemory memory, int length, int window) {
    return memoryMatrix(memory, length, window, 1);
  }

  /**
   * The columns of {@link #memoryMatrix} for the last {@code steps} steps only:
   * {@code [length][steps x order]}, the memory after each of them.
   */
  public static double[][] memoryMatrix(LegendreMemory memory, int length, int window,
      int steps) {
    int order = memory.order();
    double[][] h = memory.impulseResponse(Math.min(window, length));
    double[][] m = new double[length][steps * order];
    for (int column = 0; column < steps; column++) {
      int t = length - steps + column;
      for (int k = 0; k < h.length && k <= t; k++) {
        System.arraycopy(h[k], 0, m[t - k], column * order, order);
      }
    }
    return m;
  }

  private void assemble() {
    LmuConfig c = config;
    int length = c.inputLength();
    int d = c.dModel();
    SDVariable values = sd.placeHolder(VALUES, type, -1, length, c.inputChannels());
    training = sd.placeHolder(TRAINING, type, 1);

    SDVariable x = values;
    if (c.difference()) {
      SDVariable previous = sd.concat(1, layers.slice(values, 0, 1).mul(0),
          layers.slice(values, 0, length - 1));
      x = values.sub(previous);
    }
    int in = c.inputChannels();
    for (int j = 0; j < c.convLayers(); j++) {
      String name = "patch/conv" + j;
      x = layers.gelu(norm(name + "/norm", layers.causalConv3(name, x, length, in, d), d, length));
      in = d;
    }
    x = x.add(norm("patch/position/norm", layers.causalConv3("patch/position", x, length, d, d),
        d, length));

    LegendreMemory memory = new LegendreMemory(c.order(), c.memoryWindow());
    for (int b = 0; b < c.layers() - 1; b++) {
      x = block("block" + b, x, length,
          layers.fixed("block" + b + "/memoryMatrix",
              Nd4j.createFromArray(memoryMatrix(memory, length, c.memoryWindow()))));
    }
    String last = "block" + (c.layers() - 1);
    SDVariable lastMatrix = layers.fixed(last + "/memoryMatrix",
        Nd4j.createFromArray(lastStepMemoryMatrix(memory, length, c.memoryWindow())));
    SDVariable representation = lastBlock(last, x, length, lastMatrix); // [batch, 1, d]

    int outputs = c.outputChannels();
    SDVariable forecast = sd.reshape(
        layers.linear("head", representation, 1, d, c.horizon() * outputs, true),
        -1, c.horizon(), outputs);
    if (c.linearHead()) {
      forecast = forecast.add(sd.reshape(linearHead(layers, c, values, length, 1), -1,
          c.horizon(), outputs));
    }
    forecast = sd.identity(FORECAST, forecast);
    SDVariable target = sd.placeHolder(TARGET, type, -1, c.horizon(), outputs);
    SDVariable error = forecast.sub(target);
    sd.setLossVariables(error.mul(error).mean(LOSS));
  }

  /** A block over every step: {@code [batch, length, d]} to the same. */
  private SDVariable block(String name, SDVariable x, int length, SDVariable memoryMatrix) {
    LmuConfig c = config;
    SDVariable u = layers.gelu(layers.linear(name + "/u", x, length, c.dModel(),
        c.memoryChannels(), true));
    // [batch, length, mem] -> [batch mem, length] x [length, length order]
    SDVariable flat = sd.reshape(sd.permute(u, 0, 2, 1), -1, length);
    SDVariable m = sd.reshape(sd.mmul(flat, memoryMatrix), -1, c.memoryChannels(), length,
        c.order());
    m = sd.reshape(sd.permute(m, 0, 2, 1, 3), -1, length, c.memoryChannels() * c.order());
    return mixer(name, x, m, length);
  }

  /** The last block at the last step only: {@code [batch, length, d]} to {@code [batch, 1, d]}. */
  private SDVariable lastBlock(String name, SDVariable x, int length, SDVariable lastMatrix) {
    LmuConfig c = config;
    SDVariable u = layers.gelu(layers.linear(name + "/u", x, length, c.dModel(),
        c.memoryChannels(), true));
    SDVariable flat = sd.reshape(sd.permute(u, 0, 2, 1), -1, length);
    SDVariable m = sd.reshape(sd.mmul(flat, lastMatrix), -1, 1,
        c.memoryChannels() * c.order());
    return mixer(name, layers.slice(x, length - 1, length), m, 1);
  }

  /** Hidden state from memory and input, residual, norm; then the channel mixer. */
  private SDVariable mixer(String name, SDVariable x, SDVariable m, int time) {
    LmuConfig c = config;
    int d = c.dModel();
    int width = c.memoryChannels() * c.order();
    SDVariable h = layers.gelu(layers.linear(name + "/h", sd.concat(2, m, x), time, width + d, d,
        true));
    x = norm(name + "/norm1", x.add(layers.dropout(h, c.dropout(), time, d)), d, time);
    SDVariable hidden = layers.gelu(layers.linear(name + "/mix1", x, time, d, c.mlpRatio() * d,
        true));
    SDVariable mixed = layers.linear(name + "/mix2", hidden, time, c.mlpRatio() * d, d, true);
    return norm(name + "/norm2", x.add(layers.dropout(mixed, c.dropout(), time, d)), d, time);
  }

  /**
   * Per target channel, its raw window's Legendre coefficients (window and theta the input length)
   * times one {@code [order, horizon]} map shared by all channels, at each of the last
   * {@code steps} of {@code values} ({@code [batch, length, channels]}, {@code length} at least
   * {@code inputLength - 1 + steps}): {@code [batch, steps, horizon, outputs]}. Its parameters are
   * {@code linear/w} and {@code linear/b}.
   */
  public static SDVariable linearHead(Layers layers, LmuConfig c, SDVariable values, int length,
      int steps) {
    SameDiff sd = layers.sameDiff();
    int channels = c.inputChannels();
    LegendreMemory raw = new LegendreMemory(c.order(), c.inputLength());
    SDVariable matrix = layers.fixed("linear/memoryMatrix",
        Nd4j.createFromArray(memoryMatrix(raw, length, c.inputLength(), steps)));
    SDVariable perChannel = sd.reshape(sd.permute(values, 0, 2, 1), -1, length); // [b c, L]
    SDVariable coefficients = sd.reshape(sd.mmul(perChannel, matrix), -1, c.order());
    SDVariable forecast = sd.mmul(coefficients, layers.uniform("linear/w",
        1 / Math.sqrt(c.order()), c.order(), c.horizon()))
        .add(layers.constant("linear/b", 0, c.horizon())); // [b c steps, horizon]
    SDVariable byChannel = sd.permute(sd.reshape(forecast, -1, channels, steps, c.horizon()),
        0, 2, 3, 1); // [b, steps, horizon, c]
    double[][] select = new double[channels][c.outputChannels()];
    for (int o = 0; o < c.outputChannels(); o++) {
      select[c.targets().get(o)][o] = 1;
    }
    SDVariable chosen = sd.mmul(sd.reshape(byChannel, -1, channels),
        layers.fixed("linear/select", Nd4j.createFromArray(select)));
    return sd.reshape(chosen, -1, steps, c.horizon(), c.outputChannels());
  }

  private SDVariable norm(String name, SDVariable x, int channels, int steps) {
    batchNorms.add(name);
    normSteps.put(name, steps);
    return layers.batchNorm(name, x, channels, training);
  }
}

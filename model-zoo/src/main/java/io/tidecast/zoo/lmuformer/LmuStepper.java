package io.tidecast.zoo.lmuformer;

import static io.tidecast.forecaster.DenseArrays.floats;

import io.tidecast.forecaster.DenseArrays;
import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The streaming form of an LMUFormer: it consumes one reading per series and keeps an
 * {@link LmuState} of fixed size, batched over series (one matmul per layer for the whole batch).
 * Batch norms are folded into the preceding convolutions (or applied as a scale and shift after a
 * residual sum); the convolutions keep their last two inputs; each memory is updated by
 * {@code m_t = Abar m_{t-1} + H_0 u_t - H_W u_{t-W}}, the exact sliding window of the parallel
 * form, with a ring of the last {@code W} inputs. After {@link LmuConfig#inputLength()} readings
 * its forecast equals the parallel model's on the last {@code inputLength} readings. With
 * {@code difference} the state also keeps the last reading.
 *
 * <p>Values are standardised; {@link LmuForecaster} scales readings and forecasts.
 */
public final class LmuStepper {

  private final LmuConfig config;
  private final int convs;
  private final int[] convIn;
  private final int[] historyAt;
  private final int[] memoryAt;
  private final int[] ringAt;
  private final int rawMemoryAt;
  private final int rawRingAt;
  private final int representationAt;
  private final int previousAt;
  private final int size;
  private final String workspace = "lmu-" + Integer.toHexString(System.identityHashCode(this));

  private final INDArray[] convW;
  private final INDArray[] convB;
  private final Block[] blocks;
  private final INDArray headW;
  private final INDArray headB;
  private final Memory memory;
  private final Memory rawMemory;
  private final INDArray linearW;
  private final INDArray linearB;
  private final Scalar scalar;

  /** Below this many series a step runs in plain Java: ND4J's cost per call outweighs its speed. */
  static final int SCALAR_BELOW = 48;

  private record Block(INDArray uW, INDArray uB, INDArray hW, INDArray hB, INDArray scale1,
      INDArray shift1, INDArray mix1W, INDArray mix1B, INDArray mix2W, INDArray mix2B,
      INDArray scale2, INDArray shift2) {}

  /** {@code Abar^T}, {@code H_0} and {@code H_W} as row vectors, for batched updates. */
  private record Memory(int window, INDArray aBarT, INDArray first, INDArray leaving) {

    static Memory of(LegendreMemory lm, int window) {
      double[][] h = lm.impulseResponse(window + 1);
      double[][] a = lm.aBar();
      double[][] t = new double[a.length][a.length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a.length; j++) {
          t[i][j] = a[j][i];
        }
      }
      return new Memory(window, Nd4j.createFromArray(t).castTo(DataType.FLOAT),
          Nd4j.createFromArray(new double[][] {h[0]}).castTo(DataType.FLOAT),
          Nd4j.createFromArray(new double[][] {h[window]}).castTo(DataType.FLOAT));
    }

    /** {@code m Abar^T + u H_0 - leaving H_W} per row; {@code m} is {@code [rows, order]}. */
    INDArray next(INDArray m, INDArray u, INDArray old) {
      long rows = m.size(0);
      return m.mmul(aBarT).addi(u.reshape(rows, 1).mmul(first))
          .subi(old.reshape(rows, 1).mmul(leaving));
    }
  }

  /**
   * @param weights a trained {@link LmuGraph}'s weights (parameters and running statistics)
   */
  public LmuStepper(LmuConfig config, Map<String, INDArray> weights) {
    this.config = config;
    int d = config.dModel();
    int c = config.inputChannels();
    convs = config.convLayers() + 1; // the patch convolutions, then the position convolution
    convIn = new int[convs];
    historyAt = new int[convs];
    int at = 0;
    for (int j = 0; j < convs; j++) {
      convIn[j] = j == 0 ? c : d;
      historyAt[j] = at;
      at += 2 * convIn[j];
    }
    memoryAt = new int[config.layers()];
    ringAt = new int[config.layers()];
    int width = config.memoryChannels() * config.order();
    for (int b = 0; b < config.layers(); b++) {
      memoryAt[b] = at;
      at += width;
      ringAt[b] = at;
      at += config.memoryWindow() * config.memoryChannels();
    }
    rawMemoryAt = at;
    rawRingAt = at + (config.linearHead() ? c * config.order() : 0);
    at = rawRingAt + (config.linearHead() ? config.inputLength() * c : 0);
    representationAt = at;
    previousAt = at + d;
    size = previousAt + (config.difference() ? c : 0);

    Folded folded = InferenceWorkspace.outside(() -> new Folded(weights));
    convW = folded.convW;
    convB = folded.convB;
    blocks = folded.blocks;
    headW = folded.get("head/w");
    headB = folded.get("head/b");
    memory = InferenceWorkspace.outside(() -> Memory.of(
        new LegendreMemory(config.order(), config.memoryWindow()), config.memoryWindow()));
    if (config.linearHead()) {
      linearW = folded.get("linear/w");
      linearB = folded.get("linear/b");
      rawMemory = InferenceWorkspace.outside(() -> Memory.of(
          new LegendreMemory(config.order(), config.inputLength()), config.inputLength()));
    } else {
      linearW = null;
      linearB = null;
      rawMemory = null;
    }
    scalar = new Scalar();
  }

  /** The weights in serving form: batch norms folded, everything float, outside any workspace. */
  private final class Folded {
    private final Map<String, INDArray> w;
    private final INDArray[] convW = new INDArray[convs];
    private final INDArray[] convB = new INDArray[convs];
    private final Block[] blocks = new Block[config.layers()];

    Folded(Map<String, INDArray> weights) {
      this.w = weights;
      for (int j = 0; j < convs; j++) {
        String name = j < config.convLayers() ? "patch/conv" + j : "patch/position";
        INDArray[] sh = scaleShift(name + "/norm");
        convW[j] = get(name + "/w").mulRowVector(sh[0]);
        convB[j] = get(name + "/b").mul(sh[0]).addi(sh[1]).reshape(1, -1);
      }
      for (int b = 0; b < blocks.length; b++) {
        String n = "block" + b;
        INDArray[] one = scaleShift(n + "/norm1");
        INDArray[] two = scaleShift(n + "/norm2");
        blocks[b] = new Block(get(n + "/u/w"), row(n + "/u/b"), get(n + "/h/w"), row(n + "/h/b"),
            one[0], one[1], get(n + "/mix1/w"), row(n + "/mix1/b"), get(n + "/mix2/w"),
            row(n + "/mix2/b"), two[0], two[1]);
      }
    }

    INDArray get(String name) {
      INDArray value = w.get(name);
      if (value == null) {
        throw new IllegalArgumentException("weight " + name + " is missing");
      }
      return value.castTo(DataType.FLOAT).dup();
    }

    private INDArray row(String name) {
      return get(name).reshape(1, -1);
    }

    /** Inference batch norm as {@code x * scale + shift}, both {@code [1, channels]}. */
    private INDArray[] scaleShift(String name) {
      INDArray gamma = get(name + "/gamma").reshape(1, -1);
      INDArray beta = get(name + "/beta").reshape(1, -1);
      INDArray mean = get(name + TrainableGraph.RUNNING_MEAN).reshape(1, -1);
      INDArray variance = get(name + TrainableGraph.RUNNING_VARIANCE).reshape(1, -1);
      INDArray scale = gamma.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(
          variance.add(Layers.LAYER_NORM_EPSILON), false));
      return new INDArray[] {scale, beta.sub(mean.mul(scale))};
    }
  }

  public LmuConfig config() {
    return config;
  }

  /** Floats in a state. */
  public int stateSize() {
    return size;
  }

  /** Bytes of an encoded state. */
  public int stateBytes() {
    return StateBytes.HEADER + Float.BYTES * size;
  }

  public LmuState initialState() {
    return new LmuState(0, null, new float[size]);
  }

  /**
   * The states after one more reading each.
   *
   * @param readings {@code [series][inputChannels]}, standardised
   */
  public List<LmuState> update(List<LmuState> states, float[][] readings) {
    int n = states.size();
    if (readings.length != n) {
      throw new IllegalArgumentException(n + " states but " + readings.length + " readings");
    }
    float[][] next = new float[n][];
    for (int i = 0; i < n; i++) {
      if (states.get(i).values().length != size) {
        throw new IllegalArgumentException("state " + i + " has " + states.get(i).values().length
            + " values, this model's have " + size);
      }
      if (readings[i].length != config.inputChannels()) {
        throw new IllegalArgumentException("reading " + i + " has " + readings[i].length
            + " channels, the model reads " + config.inputChannels());
      }
      next[i] = states.get(i).values().clone();
    }
    if (n < SCALAR_BELOW) {
      for (int i = 0; i < n; i++) {
        LmuState s = states.get(i);
        scalar.step(s.values(), next[i], s.seen(), readings[i]);
      }
    } else {
      batched(states, readings, next);
    }
    List<LmuState> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(new LmuState(states.get(i).seen() + 1, states.get(i).last(), next[i]));
    }
    return result;
  }

  /** One step for many series: one matmul per layer for all of them. */
  private void batched(List<LmuState> states, float[][] readings, float[][] next) {
    int n = states.size();
    try (MemoryWorkspace ws = InferenceWorkspace.open(workspace)) {
      INDArray input = rows(readings, config.inputChannels());
      INDArray x = input;
      if (config.difference()) {
        x = input.sub(gather(states, previousAt, config.inputChannels()));
        scatter(next, previousAt, input);
      }
      for (int j = 0; j < convs; j++) {
        INDArray history = gather(states, historyAt[j], 2 * convIn[j]);
        INDArray stacked = Nd4j.hstack(history, x);
        scatter(next, historyAt[j], stacked.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(convIn[j], 3L * convIn[j])));
        INDArray y = stacked.mmul(convW[j]).addiRowVector(convB[j]);
        x = j < config.convLayers() ? gelu(y) : x.add(y);
      }
      int mem = config.memoryChannels();
      for (int b = 0; b < blocks.length; b++) {
        Block k = blocks[b];
        INDArray u = gelu(x.mmul(k.uW()).addiRowVector(k.uB()));
        INDArray old = ringOut(states, ringAt[b], mem, memory.window());
        INDArray m = memory.next(gather(states, memoryAt[b], mem * config.order())
            .reshape((long) n * mem, config.order()), u, old).reshape(n, (long) mem * config.order());
        scatter(next, memoryAt[b], m);
        ringIn(next, states, ringAt[b], mem, memory.window(), u);
        INDArray h = gelu(Nd4j.hstack(m, x).mmul(k.hW()).addiRowVector(k.hB()));
        INDArray x1 = x.add(h).muliRowVector(k.scale1()).addiRowVector(k.shift1());
        INDArray hidden = gelu(x1.mmul(k.mix1W()).addiRowVector(k.mix1B()));
        x = x1.addi(hidden.mmul(k.mix2W()).addiRowVector(k.mix2B()))
            .muliRowVector(k.scale2()).addiRowVector(k.shift2());
      }
      scatter(next, representationAt, x);
      if (rawMemory != null) {
        int c = config.inputChannels();
        INDArray old = ringOut(states, rawRingAt, c, rawMemory.window());
        INDArray m = rawMemory.next(gather(states, rawMemoryAt, c * config.order())
            .reshape((long) n * c, config.order()), input, old).reshape(n, (long) c * config.order());
        scatter(next, rawMemoryAt, m);
        ringIn(next, states, rawRingAt, c, rawMemory.window(), input);
      }
    }
  }

  /** The forecasts from these states, {@code [series][horizon][outputs]}, standardised. */
  public float[][][] forecast(List<LmuState> states) {
    int n = states.size();
    int horizon = config.horizon();
    int outputs = config.outputChannels();
    float[][][] result = new float[n][horizon][outputs];
    if (n < SCALAR_BELOW) {
      for (int i = 0; i < n; i++) {
        scalar.forecast(states.get(i).values(), result[i]);
      }
      return result;
    }
    try (MemoryWorkspace ws = InferenceWorkspace.open(workspace)) {
      float[] head = floats(gather(states, representationAt, config.dModel()).mmul(headW)
          .addiRowVector(headB));
      float[] linear = null;
      int c = config.inputChannels();
      if (rawMemory != null) {
        linear = floats(gather(states, rawMemoryAt, c * config.order())
            .reshape((long) n * c, config.order()).mmul(linearW).addiRowVector(linearB));
      }
      for (int i = 0; i < n; i++) {
        for (int h = 0; h < horizon; h++) {
          for (int o = 0; o < outputs; o++) {
            float v = head[(i * horizon + h) * outputs + o];
            if (linear != null) {
              v += linear[(i * c + config.targets().get(o)) * horizon + h];
            }
            result[i][h][o] = v;
          }
        }
      }
    }
    return result;
  }

  /**
   * The same step in plain Java on one series' state array: the folded weights as row-major
   * float arrays, each layer a loop whose inner loop runs over contiguous outputs.
   */
  private final class Scalar {
    private final float[][] convW = new float[convs][];
    private final float[][] convB = new float[convs][];
    private final float[][][] block = new float[blocks.length][][];
    private final float[] aBarT;
    private final float[] first;
    private final float[] leaving;
    private final float[] rawABarT;
    private final float[] rawFirst;
    private final float[] rawLeaving;
    private final float[] headW;
    private final float[] headB;
    private final float[] linearW;
    private final float[] linearB;

    Scalar() {
      for (int j = 0; j < convs; j++) {
        convW[j] = floats(LmuStepper.this.convW[j]);
        convB[j] = floats(LmuStepper.this.convB[j]);
      }
      for (int b = 0; b < blocks.length; b++) {
        Block k = blocks[b];
        block[b] = new float[][] {floats(k.uW()), floats(k.uB()), floats(k.hW()),
            floats(k.hB()), floats(k.scale1()), floats(k.shift1()), floats(k.mix1W()),
            floats(k.mix1B()), floats(k.mix2W()), floats(k.mix2B()), floats(k.scale2()),
            floats(k.shift2())};
      }
      aBarT = floats(memory.aBarT());
      first = floats(memory.first());
      leaving = floats(memory.leaving());
      headW = floats(LmuStepper.this.headW);
      headB = floats(LmuStepper.this.headB);
      if (rawMemory != null) {
        rawABarT = floats(rawMemory.aBarT());
        rawFirst = floats(rawMemory.first());
        rawLeaving = floats(rawMemory.leaving());
        linearW = floats(LmuStepper.this.linearW);
        linearB = floats(LmuStepper.this.linearB);
      } else {
        rawABarT = rawFirst = rawLeaving = linearW = linearB = null;
      }
    }

    /** Reads {@code old} (a state that has seen {@code seen} readings), writes {@code into}. */
    void step(float[] old, float[] into, long seen, float[] reading) {
      int c = config.inputChannels();
      int d = config.dModel();
      float[] x = reading.clone();
      if (config.difference()) {
        for (int k = 0; k < c; k++) {
          x[k] = reading[k] - old[previousAt + k];
        }
        System.arraycopy(reading, 0, into, previousAt, c);
      }
      for (int j = 0; j < convs; j++) {
        int in = convIn[j];
        float[] stacked = new float[3 * in];
        System.arraycopy(old, historyAt[j], stacked, 0, 2 * in);
        System.arraycopy(x, 0, stacked, 2 * in, in);
        System.arraycopy(stacked, in, into, historyAt[j], 2 * in);
        float[] y = affine(stacked, convW[j], convB[j], d);
        if (j < config.convLayers()) {
          gelu(y);
          x = y;
        } else {
          for (int k = 0; k < d; k++) {
            y[k] += x[k];
          }
          x = y;
        }
      }
      int mem = config.memoryChannels();
      int order = config.order();
      int window = memory.window();
      for (int b = 0; b < blocks.length; b++) {
        float[][] w = block[b];
        float[] u = gelu(affine(x, w[0], w[1], mem));
        int slot = ringAt[b] + (int) (seen % window) * mem;
        float[] m = new float[mem * order];
        for (int ch = 0; ch < mem; ch++) {
          remember(old, memoryAt[b] + ch * order, m, ch * order, aBarT, first, leaving, u[ch],
              old[slot + ch], order);
        }
        System.arraycopy(m, 0, into, memoryAt[b], m.length);
        System.arraycopy(u, 0, into, slot, mem);
        float[] joined = new float[m.length + d];
        System.arraycopy(m, 0, joined, 0, m.length);
        System.arraycopy(x, 0, joined, m.length, d);
        float[] h = gelu(affine(joined, w[2], w[3], d));
        float[] x1 = new float[d];
        for (int k = 0; k < d; k++) {
          x1[k] = (x[k] + h[k]) * w[4][k] + w[5][k];
        }
        float[] mixed = affine(gelu(affine(x1, w[6], w[7], w[7].length)), w[8], w[9], d);
        for (int k = 0; k < d; k++) {
          x1[k] = (x1[k] + mixed[k]) * w[10][k] + w[11][k];
        }
        x = x1;
      }
      System.arraycopy(x, 0, into, representationAt, d);
      if (rawMemory != null) {
        int rawWindow = rawMemory.window();
        int slot = rawRingAt + (int) (seen % rawWindow) * c;
        for (int ch = 0; ch < c; ch++) {
          remember(old, rawMemoryAt + ch * order, into, rawMemoryAt + ch * order, rawABarT,
              rawFirst, rawLeaving, reading[ch], old[slot + ch], order);
        }
        System.arraycopy(reading, 0, into, slot, c);
      }
    }

    void forecast(float[] state, float[][] out) {
      int horizon = config.horizon();
      int outputs = config.outputChannels();
      float[] representation = new float[config.dModel()];
      System.arraycopy(state, representationAt, representation, 0, representation.length);
      float[] head = affine(representation, headW, headB, horizon * outputs);
      for (int h = 0; h < horizon; h++) {
        System.arraycopy(head, h * outputs, out[h], 0, outputs);
      }
      if (rawMemory != null) {
        int order = config.order();
        for (int o = 0; o < outputs; o++) {
          float[] coefficients = new float[order];
          System.arraycopy(state, rawMemoryAt + config.targets().get(o) * order, coefficients, 0,
              order);
          float[] linear = affine(coefficients, linearW, linearB, horizon);
          for (int h = 0; h < horizon; h++) {
            out[h][o] += linear[h];
          }
        }
      }
    }
  }

  /**
   * One memory channel: {@code into[at..] = m Abar^T + u H_0 - leaving H_W} with {@code m} read
   * from {@code old[from..]} ({@code order} values each).
   */
  private static void remember(float[] old, int from, float[] into, int at, float[] aBarT,
      float[] first, float[] leaving, float u, float gone, int order) {
    float[] m = new float[order];
    for (int k = 0; k < order; k++) {
      m[k] = u * first[k] - gone * leaving[k];
    }
    for (int i = 0; i < order; i++) {
      float v = old[from + i];
      if (v != 0) {
        int row = i * order;
        for (int k = 0; k < order; k++) {
          m[k] += v * aBarT[row + k];
        }
      }
    }
    System.arraycopy(m, 0, into, at, order);
  }

  /** {@code x W + b} with {@code W} row-major {@code [x.length][out]}. */
  private static float[] affine(float[] x, float[] w, float[] b, int out) {
    float[] y = b.clone();
    for (int i = 0; i < x.length; i++) {
      float v = x[i];
      if (v != 0) {
        int row = i * out;
        for (int k = 0; k < out; k++) {
          y[k] += v * w[row + k];
        }
      }
    }
    return y;
  }

  /** GELU in place, {@code 0.5 x (1 + erf(x / sqrt 2))}; returns {@code x}. */
  private static float[] gelu(float[] x) {
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) (0.5 * x[k] * (1 + erf(x[k] / Math.sqrt(2))));
    }
    return x;
  }

  /**
   * The error function to about 1e-7 (Abramowitz and Stegun 7.1.26 is 1.5e-7; this uses the
   * complementary-error rational form of Numerical Recipes' {@code erfcc}, 1.2e-7 everywhere).
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
        + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
        + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - erfc : erfc - 1;
  }

  private static INDArray gelu(INDArray x) {
    INDArray erf = Nd4j.getExecutioner().exec(new Erf(x.div(Math.sqrt(2))));
    return x.muli(erf.addi(1)).muli(0.5);
  }

  private static INDArray rows(float[][] values, int width) {
    float[] flat = new float[values.length * width];
    for (int i = 0; i < values.length; i++) {
      System.arraycopy(values[i], 0, flat, i * width, width);
    }
    return DenseArrays.matrix(flat, values.length, width);
  }

  private static INDArray gather(List<LmuState> states, int at, int width) {
    float[] flat = new float[states.size() * width];
    for (int i = 0; i < states.size(); i++) {
      System.arraycopy(states.get(i).values(), at, flat, i * width, width);
    }
    return DenseArrays.matrix(flat, states.size(), width);
  }

  private static void scatter(float[][] into, int at, INDArray values) {
    float[] flat = floats(values);
    int width = (int) values.size(1);
    for (int i = 0; i < into.length; i++) {
      System.arraycopy(flat, i * width, into[i], at, width);
    }
  }

  /** The ring slot each series overwrites now: its input {@code window} readings ago. */
  private static INDArray ringOut(List<LmuState> states, int at, int width, int window) {
    float[] flat = new float[states.size() * width];
    for (int i = 0; i < states.size(); i++) {
      LmuState s = states.get(i);
      System.arraycopy(s.values(), at + (int) (s.seen() % window) * width, flat, i * width, width);
    }
    return DenseArrays.matrix(flat, states.size(), width);
  }

  private static void ringIn(float[][] into, List<LmuState> states, int at, int width, int window,
      INDArray values) {
    float[] flat = floats(values);
    for (int i = 0; i < into.length; i++) {
      System.arraycopy(flat, i * width, into[i],
          at + (int) (states.get(i).seen() % window) * width, width);
    }
  }
}

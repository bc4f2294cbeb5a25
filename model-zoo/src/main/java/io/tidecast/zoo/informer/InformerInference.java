package io.tidecast.zoo.informer;

import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.forecaster.attention.FullAttention;
import io.tidecast.forecaster.attention.MultiHeadAttention;
import io.tidecast.forecaster.attention.MultiHeadWeights;
import io.tidecast.zoo.train.Layers;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntBinaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Informer's forward pass as eager ND4J calls, for serving: the same function as
 * {@link InformerGraph} in inference mode (batch norm on running statistics, no dropout, the fixed
 * ProbSparse samples), with the attention layers' eager forms ({@link MultiHeadAttention.Inference})
 * and no graph bookkeeping. Every array it creates may live in the caller's workspace; the weights
 * are copied in once, outside any workspace.
 */
final class InformerInference {

  private final InformerConfig config;
  private final Map<String, INDArray> w;
  private final Map<String, MultiHeadAttention.Inference> attention = new HashMap<>();
  private final INDArray encoderPositions;
  private final INDArray decoderPositions;
  private final INDArray[] calendarTables;
  private final Map<String, INDArray> stepIndices = new ConcurrentHashMap<>();

  /**
   * @param weights every weight of a graph of {@code config}, by variable name
   * @param seed the model seed, from which the fixed ProbSparse samples derive
   */
  InformerInference(InformerConfig config, Map<String, INDArray> weights, long seed) {
    this.config = config;
    this.w = InferenceWorkspace.outside(() -> servingWeights(weights));
    int d = config.dModel();
    this.encoderPositions = InferenceWorkspace.outside(() -> InformerGraph
        .positions(config.inputLength(), d).castTo(DataType.FLOAT).reshape(1, -1));
    this.decoderPositions = InferenceWorkspace.outside(() -> InformerGraph
        .positions(config.decoderLength(), d).castTo(DataType.FLOAT).reshape(1, -1));
    this.calendarTables = InferenceWorkspace.outside(() -> {
      INDArray[] tables = new INDArray[CalendarEmbedding.FIELD_SIZES.length];
      for (int f = 0; f < tables.length; f++) {
        tables[f] = InformerGraph.positions(CalendarEmbedding.FIELD_SIZES[f], d)
            .castTo(DataType.FLOAT);
      }
      return tables;
    });
    for (int e = 0; e < config.stack(); e++) {
      for (int i = 0; i < config.encoderDepth(e); i++) {
        String name = InformerGraph.encoderPrefix(config, e) + "/layer" + i;
        attention.put(name + "/attention", layer(name + "/attention",
            InformerGraph.selfKernel(config, seed, name), false));
      }
    }
    for (int i = 0; i < config.decoderLayers(); i++) {
      String name = "decoder/layer" + i;
      attention.put(name + "/selfAttention", layer(name + "/selfAttention",
          InformerGraph.selfKernel(config, seed, name), true));
      attention.put(name + "/crossAttention", layer(name + "/crossAttention",
          FullAttention.INSTANCE, false));
    }
  }

  /**
   * Float copies of the weights, the feed-forwards' with {@code 1 / sqrt 2} folded in: into the
   * first layer's weight and bias, and into the second layer's weight.
   */
  private static Map<String, INDArray> servingWeights(Map<String, INDArray> weights) {
    Map<String, INDArray> copy = new HashMap<>();
    double folded = 1 / Math.sqrt(2);
    weights.forEach((name, value) -> {
      INDArray own = value.castTo(DataType.FLOAT).dup('c');
      if (name.endsWith("/ff1/w") || name.endsWith("/ff1/b") || name.endsWith("/ff2/w")) {
        own.muli(folded);
      }
      copy.put(name, own);
    });
    return copy;
  }

  private MultiHeadAttention.Inference layer(String name,
      io.tidecast.forecaster.attention.AttentionKernel kernel, boolean mix) {
    return new MultiHeadAttention(config.dModel(), config.heads(), mix, kernel)
        .inference(MultiHeadWeights.from(w, name));
  }

  /**
   * The forecast {@code [batch, horizon, outputChannels]} (standardised) for the window
   * {@code values [batch, input, channels]}, its calendar features and the future's.
   */
  INDArray forward(INDArray values, INDArray time, INDArray futureTime) {
    InformerConfig c = config;
    INDArray embedded = embedding("encoder/embedding", values, time, encoderPositions);
    INDArray[] encoded = new INDArray[c.stack()];
    for (int e = 0; e < c.stack(); e++) {
      String prefix = InformerGraph.encoderPrefix(c, e);
      int length = c.encoderInput(e);
      INDArray x = e == 0 ? embedded : steps(embedded, c.inputLength() - length, c.inputLength())
          .dup('c');
      for (int i = 0; i < c.encoderDepth(e); i++) {
        String name = prefix + "/layer" + i;
        x = layerNorm(name + "/norm1",
            x.add(attention.get(name + "/attention").forward(x, false)));
        x = layerNorm(name + "/norm2", x.add(feedForward(name, x)));
        if (c.distil() && i < c.encoderDepth(e) - 1) {
          x = distil(prefix + "/distil" + i, x, length);
          length = InformerConfig.distilledLength(length);
        }
      }
      encoded[e] = layerNorm(prefix + "/norm", x);
    }
    INDArray memory = encoded.length == 1 ? encoded[0] : Nd4j.concat(1, encoded);

    INDArray y = embedding("decoder/embedding",
        DecoderInput.values(values, c.labelLength(), c.horizon()),
        DecoderInput.time(time, futureTime, c.labelLength()), decoderPositions);
    for (int i = 0; i < c.decoderLayers(); i++) {
      String name = "decoder/layer" + i;
      y = layerNorm(name + "/norm1", y.add(attention.get(name + "/selfAttention").forward(y, true)));
      y = layerNorm(name + "/norm2",
          y.add(attention.get(name + "/crossAttention").forward(y, memory, false)));
      y = layerNorm(name + "/norm3", y.add(feedForward(name, y)));
    }
    y = layerNorm("decoder/norm", y);
    INDArray last = y.get(NDArrayIndex.all(),
        NDArrayIndex.interval(c.labelLength(), c.decoderLength()), NDArrayIndex.all()).dup('c');
    return linear("projection", last, true);
  }

  private INDArray embedding(String name, INDArray values, INDArray time, INDArray positions) {
    long batch = values.size(0);
    long length = values.size(1);
    INDArray value = circularConv3(name + "/value", values, false);
    INDArray calendar = config.calendar() == CalendarEmbedding.FIXED
        ? fixedCalendar(time) : linear(name + "/time", time, false);
    INDArray sum = value.addi(calendar).reshape(batch, -1).addiRowVector(positions);
    return sum.reshape(batch, length, config.dModel());
  }

  /** The sum over calendar fields of each field's row in its fixed sinusoidal table. */
  private INDArray fixedCalendar(INDArray fields) {
    long batch = fields.size(0);
    long length = fields.size(1);
    float[] values = fields.dup('c').data().asFloat();
    int width = (int) fields.size(2);
    INDArray sum = null;
    for (int f = 0; f < width; f++) {
      int size = CalendarEmbedding.FIELD_SIZES[f];
      float[] oneHot = new float[(int) (batch * length) * size];
      for (int r = 0; r < batch * length; r++) {
        oneHot[r * size + (int) values[r * width + f]] = 1;
      }
      INDArray rows = Nd4j.matmul(Nd4j.createFromArray(oneHot).reshape(batch * length, size),
          calendarTables[f]);
      sum = sum == null ? rows : sum.addi(rows);
    }
    return sum.reshape(batch, length, config.dModel());
  }

  /** {@code x W (+ b)} over the last axis of {@code [batch, time, in]}. */
  private INDArray linear(String name, INDArray x, boolean bias) {
    long batch = x.size(0);
    long time = x.size(1);
    INDArray weight = w.get(name + "/w");
    INDArray y = Nd4j.matmul(x.reshape(batch * time, x.size(2)), weight);
    if (bias) {
      y.addiRowVector(w.get(name + "/b"));
    }
    return y.reshape(batch, time, weight.size(1));
  }

  /**
   * Each step's previous, own and next step (circularly) side by side, {@code [batch, time, 3 in]},
   * through one gather along time, then one matmul.
   */
  private INDArray circularConv3(String name, INDArray x, boolean bias) {
    long batch = x.size(0);
    int time = (int) x.size(1);
    INDArray taps = gatherSteps(x,
        stepIndex("conv" + time, time, (t, k) -> Math.floorMod(t + k - 1, time)));
    return linear(name, taps.reshape(batch, time, 3 * x.size(2)), bias);
  }

  /** The steps of {@code x [batch, time, d]} at {@code index}: {@code [batch, index length, d]}. */
  private static INDArray gatherSteps(INDArray x, INDArray index) {
    return Nd4j.exec(new Gather(x, index, 1))[0];
  }

  /**
   * Three step indices per output step {@code t}, {@code tap(t, k)} for k = 0, 1, 2; made once
   * per {@code key} (the layer kind and its input length).
   */
  private INDArray stepIndex(String key, int outputs, IntBinaryOperator tap) {
    return stepIndices.computeIfAbsent(key, any -> InferenceWorkspace.outside(() -> {
      int[] index = new int[3 * outputs];
      for (int t = 0; t < outputs; t++) {
        for (int k = 0; k < 3; k++) {
          index[3 * t + k] = tap.applyAsInt(t, k);
        }
      }
      return Nd4j.createFromArray(index);
    }));
  }

  private static INDArray steps(INDArray x, long from, long to) {
    return x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
  }

  private INDArray layerNorm(String name, INDArray x) {
    long batch = x.size(0);
    long time = x.size(1);
    INDArray rows = x.reshape(batch * time, config.dModel());
    INDArray centred = rows.subColumnVector(rows.mean(true, 1));
    INDArray deviation = Transforms.sqrt(centred.mul(centred).mean(true, 1)
        .addi(Layers.LAYER_NORM_EPSILON), false);
    return centred.diviColumnVector(deviation).muliRowVector(w.get(name + "/gamma"))
        .addiRowVector(w.get(name + "/beta")).reshape(batch, time, config.dModel());
  }

  /**
   * The feed-forward with GELU in its exact erf form,
   * {@code gelu(h) = h (1 + erf(h / sqrt 2)) / 2}.
   * The weights hold {@code 1 / sqrt 2} folded in (see {@link #servingWeights}): the first layer
   * gives {@code u = h / sqrt 2} directly, and {@code gelu(h) W2 = (u + u erf(u)) (W2 / sqrt 2)}.
   */
  private INDArray feedForward(String name, INDArray x) {
    INDArray u = linear(name + "/ff1", x, true);
    INDArray erf = Nd4j.getExecutioner().exec(new Erf(u, u.ulike()));
    return linear(name + "/ff2", erf.muli(u).addi(u), true);
  }

  /** Conv (circular) -> batch norm (running statistics) -> ELU -> max-pool 3, stride 2. */
  private INDArray distil(String name, INDArray x, int length) {
    long batch = x.size(0);
    int d = config.dModel();
    INDArray conv = circularConv3(name + "/conv", x, true).reshape(batch * length, d);
    INDArray deviation = Transforms.sqrt(w.get(name + "/norm" + InformerGraph.RUNNING_VARIANCE)
        .reshape(1, d).add(Layers.LAYER_NORM_EPSILON), false);
    INDArray normalised = conv.subiRowVector(w.get(name + "/norm" + InformerGraph.RUNNING_MEAN)
            .reshape(1, d)).diviRowVector(deviation)
        .muliRowVector(w.get(name + "/norm/gamma")).addiRowVector(w.get(name + "/norm/beta"));
    INDArray activated = Transforms.elu(normalised, false).reshape(batch, length, d);
    return maxPool3Stride2(activated, length, d);
  }

  /**
   * Max over steps {@code 2t - 1, 2t, 2t + 1} (padding never wins): a step outside the window is
   * replaced by its neighbour inside it, which is in the same triple anyway.
   */
  private INDArray maxPool3Stride2(INDArray x, int length, int d) {
    int out = InformerConfig.distilledLength(length);
    INDArray index = stepIndex("pool" + length, out,
        (t, k) -> Math.min(length - 1, Math.max(0, 2 * t + k - 1)));
    return gatherSteps(x, index).reshape(x.size(0), out, 3, d).max(2);
  }
}

package io.tidecast.zoo.informer;

import io.tidecast.forecaster.InferenceWorkspace;
import io.tidecast.forecaster.attention.AttentionGraph;
import io.tidecast.forecaster.attention.AttentionKernel;
import io.tidecast.forecaster.attention.FullAttention;
import io.tidecast.forecaster.attention.MultiHeadAttention;
import io.tidecast.forecaster.attention.MultiHeadWeights;
import io.tidecast.forecaster.attention.ProbSparseAttention;
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
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Informer as a SameDiff graph, read top to bottom like the paper's figure: embedding, encoder
 * (ProbSparse self-attention layers with distilling between them), generative decoder (masked
 * ProbSparse self-attention over start token and placeholders, cross-attention to the encoder),
 * projection. Placeholders: {@link #ENCODER_VALUES} {@code [batch, inputLength, encoderChannels]},
 * {@link #ENCODER_TIME} {@code [batch, inputLength, timeFeatures]}, {@link #DECODER_VALUES}
 * {@code [batch, labelLength + horizon, decoderChannels]}, {@link #DECODER_TIME}; output
 * {@link #FORECAST} {@code [batch, horizon, outputChannels]}, and the ProbSparse key samples of
 * {@link #attention()}. For training, {@link #TARGET} {@code [batch, horizon, outputChannels]} and
 * the mean squared error {@link #LOSS}.
 */
public final class InformerGraph implements TrainableGraph {

  public static final String ENCODER_VALUES = "encoderValues";
  public static final String ENCODER_TIME = "encoderTime";
  public static final String DECODER_VALUES = "decoderValues";
  public static final String DECODER_TIME = "decoderTime";

  private final InformerConfig config;
  private final SameDiff sd = SameDiff.create();
  private final AttentionGraph attention;
  private final Layers layers;
  private final SplittableRandom random;
  private final long seed;
  private final String workspace = "informer-evaluation-"
      + Integer.toHexString(System.identityHashCode(this));
  private final List<String> batchNorms = new ArrayList<>();
  private SDVariable encoderOutput;
  private SDVariable training;

  private InformerGraph(InformerConfig config, DataType type, long seed) {
    this.config = config;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.attention = new AttentionGraph(sd, type);
    this.layers = new Layers(sd, type, random);
  }

  /** Builds the graph with freshly initialised parameters drawn from {@code seed}. */
  public static InformerGraph build(InformerConfig config, DataType type, long seed) {
    InformerGraph g = new InformerGraph(config, type, seed);
    g.assemble();
    return g;
  }

  public SameDiff sameDiff() {
    return sd;
  }

  public AttentionGraph attention() {
    return attention;
  }

  public InformerConfig config() {
    return config;
  }

  @Override
  public Map<String, INDArray> freshSamples(SplittableRandom random) {
    return attention.freshSamples(random);
  }

  @Override
  public int batchNormSteps(String name) {
    return config.inputLength();
  }

  @Override
  public List<String> batchNorms() {
    return List.copyOf(batchNorms);
  }

  /**
   * The placeholders for a batch of windows: encoder input, decoder input (start token and zero
   * placeholders), calendar features, the target when there is one, the mode, dropout off, and
   * the ProbSparse samples (fixed ones; training replaces them and the dropout masks with fresh
   * ones).
   */
  public Map<String, INDArray> feed(Windows.Batch batch, boolean train) {
    Map<String, INDArray> feed = new HashMap<>(attention.fixedSamples());
    feed.put(ENCODER_VALUES, batch.values());
    feed.put(ENCODER_TIME, batch.time());
    feed.put(DECODER_VALUES, DecoderInput.values(batch.values(), config.labelLength(),
        config.horizon()));
    feed.put(DECODER_TIME, DecoderInput.time(batch.time(), batch.futureTime(),
        config.labelLength()));
    if (batch.target() != null) {
      feed.put(TARGET, batch.target());
    }
    feed.put(TRAINING, Nd4j.valueArrayOf(new long[] {1}, train ? 1.0 : 0.0,
        attention.dataType()));
    return Layers.dropoutOff(sd, feed);
  }

  /**
   * The eager serving pass ({@link InformerInference}) of the current weights, in a workspace
   * reused by every call on this thread: the graph's forecast at a fraction of its time.
   */
  @Override
  public Function<Windows.Batch, INDArray> inference() {
    InformerInference eager = new InformerInference(config, weights(), seed);
    return batch -> {
      try (MemoryWorkspace ws = InferenceWorkspace.open(workspace)) {
        return eager.forward(batch.values().castTo(DataType.FLOAT),
            batch.time().castTo(DataType.FLOAT), batch.futureTime().castTo(DataType.FLOAT))
            .detach();
      }
    };
  }

  /** The seed the parameters were drawn from and the ProbSparse samples derive from. */
  public long seed() {
    return seed;
  }

  /**
   * Every array the trained model consists of, by variable name: the parameters and the batch-norm
   * running statistics.
   */
  public Map<String, INDArray> weights() {
    return GraphWeights.of(sd, batchNorms);
  }

  @Override
  public void load(Map<String, INDArray> values) {
    GraphWeights.load(weights(), values);
  }

  /** The encoder's output, {@code [batch, encoderOutputLength, dModel]}. */
  public SDVariable encoderOutput() {
    return encoderOutput;
  }

  private void assemble() {
    InformerConfig c = config;
    SDVariable xEnc = sd.placeHolder(ENCODER_VALUES, attention.dataType(), -1, c.inputLength(),
        c.encoderChannels());
    SDVariable tEnc = sd.placeHolder(ENCODER_TIME, attention.dataType(), -1, c.inputLength(),
        c.timeFeatures());
    SDVariable xDec = sd.placeHolder(DECODER_VALUES, attention.dataType(), -1, c.decoderLength(),
        c.decoderChannels());
    SDVariable tDec = sd.placeHolder(DECODER_TIME, attention.dataType(), -1, c.decoderLength(),
        c.timeFeatures());
    training = sd.placeHolder(TRAINING, attention.dataType(), 1);

    encoderOutput = encoder(embedding("encoder/embedding", xEnc, tEnc, c.inputLength(),
        c.encoderChannels()));
    // The placeholders are zeroed in the graph, whatever is fed: the decoder's value embedding
    // (a circular convolution) and the ProbSparse query selection both read every position, so
    // only this keeps the forecast independent of the placeholder values.
    SDVariable startToken = xDec.mul(layers.fixed("decoder/startTokenMask",
        startTokenMask(c.labelLength(), c.decoderLength())));
    SDVariable y = decoder(embedding("decoder/embedding", startToken, tDec, c.decoderLength(),
        c.decoderChannels()), encoderOutput);
    SDVariable projected = layers.linear("projection", y, c.decoderLength(), c.dModel(),
        c.outputChannels(), true);
    SDVariable forecast = sd.identity(FORECAST,
        layers.slice(projected, c.labelLength(), c.decoderLength())); // the last horizon steps
    SDVariable target = sd.placeHolder(TARGET, attention.dataType(), -1, c.horizon(),
        c.outputChannels());
    SDVariable error = forecast.sub(target);
    sd.setLossVariables(error.mul(error).mean(LOSS));
  }

  /**
   * Value (circular conv, no bias) + sinusoidal position + calendar ({@code timeF}: linear;
   * {@code fixed}: rows of fixed sinusoidal tables), then dropout.
   */
  private SDVariable embedding(String name, SDVariable values, SDVariable time, int length,
      int channels) {
    SDVariable value = layers.circularConv3(name + "/value", values, length, channels,
        config.dModel(), false);
    SDVariable calendar = config.calendar() == CalendarEmbedding.FIXED
        ? fixedCalendar(name + "/calendar", time, length)
        : layers.linear(name + "/time", time, length, config.timeFeatures(), config.dModel(),
            false);
    return dropout(value.add(layers.fixed(name + "/position", positions(length, config.dModel())))
        .add(calendar), length, config.dModel());
  }

  /** The sum over calendar fields of the field's row in its fixed table (one-hot times table). */
  private SDVariable fixedCalendar(String name, SDVariable fields, int length) {
    SDVariable sum = null;
    for (int f = 0; f < config.timeFeatures(); f++) {
      int size = CalendarEmbedding.FIELD_SIZES[f];
      SDVariable index = sd.reshape(layers.field(fields, f), -1).castTo(DataType.INT32);
      SDVariable rows = sd.mmul(sd.oneHot(index, size, -1, 1.0, 0.0, attention.dataType()),
          layers.fixed(name + "/table" + f, positions(size, config.dModel())));
      sum = sum == null ? rows : sum.add(rows);
    }
    return sd.reshape(sum, -1, length, config.dModel());
  }

  /** The encoder, or with {@code stack > 1} the stacked encoders joined along time. */
  private SDVariable encoder(SDVariable embedded) {
    SDVariable[] outputs = new SDVariable[config.stack()];
    for (int e = 0; e < config.stack(); e++) {
      String prefix = encoderPrefix(config, e);
      int length = config.encoderInput(e);
      SDVariable x = e == 0 ? embedded
          : layers.slice(embedded, config.inputLength() - length, config.inputLength());
      for (int i = 0; i < config.encoderDepth(e); i++) {
        x = encoderLayer(prefix + "/layer" + i, x, length);
        if (config.distil() && i < config.encoderDepth(e) - 1) {
          x = distil(prefix + "/distil" + i, x, length);
          length = InformerConfig.distilledLength(length);
        }
      }
      outputs[e] = layers.layerNorm(prefix + "/norm", x, config.dModel());
    }
    return outputs.length == 1 ? outputs[0] : sd.concat(1, outputs);
  }

  /** Names of encoder {@code e}'s layers: {@code encoder/...}, or {@code encoder/stack<e>/...}. */
  static String encoderPrefix(InformerConfig config, int e) {
    return config.stack() == 1 ? "encoder" : "encoder/stack" + e;
  }

  private SDVariable encoderLayer(String name, SDVariable x, int length) {
    SDVariable attended = attentionLayer(selfKernel(name), false).build(attention,
        name + "/attention", x, x, length, length, false, freshAttentionWeights());
    x = layers.layerNorm(name + "/norm1", x.add(dropout(attended, length, config.dModel())),
        config.dModel());
    return layers.layerNorm(name + "/norm2", x.add(feedForward(name, x, length)),
        config.dModel());
  }

  /** Conv (kernel 3, circular) -> batch norm -> ELU -> max-pool (3, stride 2): length halves. */
  private SDVariable distil(String name, SDVariable x, int length) {
    int d = config.dModel();
    SDVariable conv = layers.circularConv3(name + "/conv", x, length, d, d, true);
    batchNorms.add(name + "/norm");
    SDVariable activated = sd.nn().elu(layers.batchNorm(name + "/norm", conv, d, training));
    return layers.maxPool3Stride2(activated, length, d);
  }

  private SDVariable decoder(SDVariable x, SDVariable memory) {
    int length = config.decoderLength();
    int memoryLength = config.encoderOutputLength();
    for (int i = 0; i < config.decoderLayers(); i++) {
      String name = "decoder/layer" + i;
      SDVariable self = attentionLayer(selfKernel(name), true).build(attention,
          name + "/selfAttention", x, x, length, length, true, freshAttentionWeights());
      x = layers.layerNorm(name + "/norm1", x.add(dropout(self, length, config.dModel())),
          config.dModel());
      SDVariable cross = attentionLayer(FullAttention.INSTANCE, false).build(attention,
          name + "/crossAttention", x, memory, length, memoryLength, false, freshAttentionWeights());
      x = layers.layerNorm(name + "/norm2", x.add(dropout(cross, length, config.dModel())),
          config.dModel());
      x = layers.layerNorm(name + "/norm3", x.add(feedForward(name, x, length)),
          config.dModel());
    }
    return layers.layerNorm("decoder/norm", x, config.dModel());
  }

  /** Position-wise feed-forward: {@code dModel -> dFf -> dModel} with GELU between. */
  private SDVariable feedForward(String name, SDVariable x, int length) {
    SDVariable hidden = dropout(layers.gelu(layers.linear(name + "/ff1", x, length,
        config.dModel(), config.dFf(), true)), length, config.dFf());
    return dropout(layers.linear(name + "/ff2", hidden, length, config.dFf(), config.dModel(),
        true), length, config.dModel());
  }

  /** Inverted dropout at the configured rate while training; the identity otherwise. */
  private SDVariable dropout(SDVariable x, int length, int width) {
    return config.dropout() == 0 ? x : layers.dropout(x, config.dropout(), length, width);
  }

  private MultiHeadAttention attentionLayer(AttentionKernel kernel, boolean mix) {
    return new MultiHeadAttention(config.dModel(), config.heads(), mix, kernel);
  }

  /** Each ProbSparse layer samples with its own seed, derived from the model's and its name. */
  private AttentionKernel selfKernel(String layerName) {
    return selfKernel(config, seed, layerName);
  }

  /** The self-attention kernel of layer {@code layerName} (the eager form uses the same). */
  static AttentionKernel selfKernel(InformerConfig config, long seed, String layerName) {
    return config.probSparse()
        ? new ProbSparseAttention(config.factor(), seed * 31 + layerName.hashCode())
        : FullAttention.INSTANCE;
  }

  private MultiHeadWeights freshAttentionWeights() {
    return MultiHeadWeights.random(config.dModel(), attention.dataType(), random);
  }

  /** {@code [length, 1]}: 1 for the start token's steps, 0 for the placeholders. */
  private static INDArray startTokenMask(int labelLength, int length) {
    double[] mask = new double[length];
    Arrays.fill(mask, 0, labelLength, 1.0);
    return Nd4j.createFromArray(mask).reshape(length, 1);
  }

  /** Sinusoidal positions {@code [length, width]}: sin on even columns, cos on odd ones. */
  static INDArray positions(int length, int width) {
    double[] pe = new double[length * width];
    for (int pos = 0; pos < length; pos++) {
      for (int i = 0; i < width; i += 2) {
        double angle = pos * Math.exp(-i * Math.log(10000.0) / width);
        pe[pos * width + i] = Math.sin(angle);
        if (i + 1 < width) {
          pe[pos * width + i + 1] = Math.cos(angle);
        }
      }
    }
    return Nd4j.createFromArray(pe).reshape(length, width);
  }
}

package io.tidecast.zoo.informer;

import io.tidecast.forecaster.attention.ProbSparseAttention;

/**
 * The shape of an Informer, validated once. Defaults follow the paper's reference settings.
 *
 * @param inputLength encoder window {@code seq_len}
 * @param labelLength known steps that start the decoder input {@code label_len}
 * @param horizon forecast steps {@code pred_len}
 * @param encoderChannels channels of the encoder input
 * @param decoderChannels channels of the decoder input
 * @param outputChannels channels forecast
 * @param timeFeatures calendar features per step ({@code timeF} embedding)
 * @param dModel model width
 * @param heads attention heads
 * @param encoderLayers encoder attention layers
 * @param decoderLayers decoder layers
 * @param dFf feed-forward width
 * @param factor ProbSparse factor
 * @param dropout dropout probability in training
 * @param probSparse ProbSparse self-attention (else full) in encoder and decoder
 * @param distil halve the length between encoder layers
 * @param stack encoders side by side (InformerStack): encoder {@code i} reads the last
 *     {@code inputLength / 2^i} steps through {@code encoderLayers - i} layers, and their outputs
 *     are joined along time; 1 is the plain Informer
 * @param embed the calendar embedding, {@code timeF} or {@code fixed} ({@link CalendarEmbedding})
 */
public record InformerConfig(int inputLength, int labelLength, int horizon, int encoderChannels,
    int decoderChannels, int outputChannels, int timeFeatures, int dModel, int heads,
    int encoderLayers, int decoderLayers, int dFf, int factor, double dropout, boolean probSparse,
    boolean distil, int stack, String embed) {

  /** A plain Informer (one encoder). */
  public InformerConfig(int inputLength, int labelLength, int horizon, int encoderChannels,
      int decoderChannels, int outputChannels, int timeFeatures, int dModel, int heads,
      int encoderLayers, int decoderLayers, int dFf, int factor, double dropout,
      boolean probSparse, boolean distil) {
    this(inputLength, labelLength, horizon, encoderChannels, decoderChannels, outputChannels,
        timeFeatures, dModel, heads, encoderLayers, decoderLayers, dFf, factor, dropout,
        probSparse, distil, 1, CalendarEmbedding.TIME_F.code());
  }

  /** An Informer or InformerStack with the {@code timeF} calendar embedding. */
  public InformerConfig(int inputLength, int labelLength, int horizon, int encoderChannels,
      int decoderChannels, int outputChannels, int timeFeatures, int dModel, int heads,
      int encoderLayers, int decoderLayers, int dFf, int factor, double dropout,
      boolean probSparse, boolean distil, int stack) {
    this(inputLength, labelLength, horizon, encoderChannels, decoderChannels, outputChannels,
        timeFeatures, dModel, heads, encoderLayers, decoderLayers, dFf, factor, dropout,
        probSparse, distil, stack, CalendarEmbedding.TIME_F.code());
  }

  public InformerConfig {
    CalendarEmbedding calendar = CalendarEmbedding.parse(embed);
    if (calendar == CalendarEmbedding.FIXED && timeFeatures != 4 && timeFeatures != 5) {
      throw new IllegalArgumentException("the fixed calendar embedding reads 4 or 5 fields per"
          + " step, not " + timeFeatures);
    }
    if (stack < 1 || stack > encoderLayers || inputLength >> (stack - 1) < 1) {
      throw new IllegalArgumentException("stack " + stack + " needs encoderLayers >= stack ("
          + encoderLayers + ") and inputLength / 2^(stack - 1) >= 1 (" + inputLength + ")");
    }
    positive("inputLength", inputLength);
    positive("horizon", horizon);
    positive("encoderChannels", encoderChannels);
    positive("decoderChannels", decoderChannels);
    positive("outputChannels", outputChannels);
    positive("timeFeatures", timeFeatures);
    positive("heads", heads);
    positive("encoderLayers", encoderLayers);
    positive("decoderLayers", decoderLayers);
    positive("dFf", dFf);
    positive("factor", factor);
    if (labelLength < 0 || labelLength > inputLength) {
      throw new IllegalArgumentException(
          "labelLength must lie in [0, inputLength " + inputLength + "]: " + labelLength);
    }
    if (dModel < 1 || dModel % heads != 0) {
      throw new IllegalArgumentException(
          "dModel " + dModel + " must be a positive multiple of heads " + heads);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must lie in [0, 1): " + dropout);
    }
  }

  /** The reference defaults (d_model 512, 8 heads, 2+1 layers, d_ff 2048, factor 5, dropout 0.05). */
  public static InformerConfig defaults(int inputLength, int labelLength, int horizon,
      int channels, int outputChannels, int timeFeatures) {
    return new InformerConfig(inputLength, labelLength, horizon, channels, channels,
        outputChannels, timeFeatures, 512, 8, 2, 1, 2048, 5, 0.05, true, true);
  }

  /** The same model at another width, e.g. a small configuration for tests and quick runs. */
  public InformerConfig withWidth(int newDModel, int newHeads, int newDFf) {
    return new InformerConfig(inputLength, labelLength, horizon, encoderChannels,
        decoderChannels, outputChannels, timeFeatures, newDModel, newHeads, encoderLayers,
        decoderLayers, newDFf, factor, dropout, probSparse, distil, stack, embed);
  }

  /** The same model without dropout: the graph to serve with (dropout acts only in training). */
  public InformerConfig forInference() {
    return new InformerConfig(inputLength, labelLength, horizon, encoderChannels,
        decoderChannels, outputChannels, timeFeatures, dModel, heads, encoderLayers,
        decoderLayers, dFf, factor, 0.0, probSparse, distil, stack, embed);
  }

  /**
   * FLOPs of one window's forward pass (a multiply-add counts 2), as the algorithm needs them:
   * embeddings, projections, feed-forwards, distilling convolutions and the output projection;
   * ProbSparse attention with only its sampled scores and its active rows (the dense layout the
   * graph may use at short lengths computes more), full attention with every row.
   */
  public long forwardFlops() {
    long d = dModel;
    long flops = embeddingFlops(inputLength, encoderChannels);
    for (int e = 0; e < stack; e++) {
      int length = encoderInput(e);
      for (int i = 0; i < encoderDepth(e); i++) {
        flops += selfAttentionFlops(length) + 4L * length * d * dFf;
        if (distil && i < encoderDepth(e) - 1) {
          flops += 2L * length * 3 * d * d;
          length = distilledLength(length);
        }
      }
    }
    int length = encoderOutputLength();
    int dec = decoderLength();
    flops += embeddingFlops(dec, decoderChannels);
    for (int i = 0; i < decoderLayers; i++) {
      flops += selfAttentionFlops(dec)
          + 4L * dec * d * d + 4L * length * d * d + 4L * dec * length * d // cross-attention
          + 4L * dec * d * dFf;
    }
    return flops + 2L * dec * d * outputChannels;
  }

  private long embeddingFlops(int length, int channels) {
    return 2L * length * (3L * channels + timeFeatures) * dModel;
  }

  private long selfAttentionFlops(int length) {
    long d = dModel;
    long projections = 8L * length * d * d;
    if (!probSparse) {
      return projections + 4L * length * length * d;
    }
    long sampled = ProbSparseAttention.topCount(factor, length);
    long active = ProbSparseAttention.topCount(factor, length);
    return projections + 2L * length * sampled * d + 4L * active * length * d;
  }

  /** Decoder input length: the start token and the placeholders. */
  public int decoderLength() {
    return labelLength + horizon;
  }

  /** Encoder output length after the distilling steps: each halves it, rounding up. */
  public int encoderOutputLength() {
    int total = 0;
    for (int e = 0; e < stack; e++) {
      int length = encoderInput(e);
      for (int i = 1; distil && i < encoderDepth(e); i++) {
        length = distilledLength(length);
      }
      total += length;
    }
    return total;
  }

  public CalendarEmbedding calendar() {
    return CalendarEmbedding.parse(embed);
  }

  /** Steps encoder {@code e} of the stack reads: the last {@code inputLength / 2^e}. */
  public int encoderInput(int e) {
    return inputLength >> e;
  }

  /** Attention layers of encoder {@code e} of the stack. */
  public int encoderDepth(int e) {
    return encoderLayers - e;
  }

  /** Max-pooling with kernel 3, stride 2, padding 1: {@code floor((L - 1) / 2) + 1}. */
  static int distilledLength(int length) {
    return (length - 1) / 2 + 1;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}

package io.tidecast.forecaster.attention;

import io.tidecast.forecaster.InferenceWorkspace;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head attention around any {@link AttentionKernel}: project the inputs to queries, keys and
 * values, split them into heads, attend, merge the heads and project back.
 *
 * <p>With {@code mix}, the heads are merged the way the Informer decoder does it: the
 * {@code [batch, heads, L, headDim]} context is read in memory order as {@code [batch, L, dModel]},
 * so that each output row mixes several heads and positions. Without it, each row is the
 * concatenation of the heads at that position.
 *
 * <p>{@link #build} adds the layer to a training graph; {@link Inference} runs it eagerly with
 * given weights, with the Q, K and V projections in one matmul when the layer attends to itself.
 * Run it inside an {@link InferenceWorkspace} when it serves a loop.
 */
public final class MultiHeadAttention {

  private final int dModel;
  private final int heads;
  private final int headDim;
  private final boolean mix;
  private final AttentionKernel kernel;

  public MultiHeadAttention(int dModel, int heads, boolean mix, AttentionKernel kernel) {
    if (heads < 1 || dModel % heads != 0) {
      throw new IllegalArgumentException(
          "dModel " + dModel + " is not a positive multiple of heads " + heads);
    }
    this.dModel = dModel;
    this.heads = heads;
    this.headDim = dModel / heads;
    this.mix = mix;
    this.kernel = kernel;
  }

  public int dModel() {
    return dModel;
  }

  public int heads() {
    return heads;
  }

  public AttentionKernel kernel() {
    return kernel;
  }

  /**
   * Adds the layer's variables ({@code name/wq}, {@code name/bq}, ...) initialised from
   * {@code init}, and its ops. Inputs {@code [batch, Lq, dModel]} and {@code [batch, Lk, dModel]};
   * output {@code [batch, Lq, dModel]}.
   */
  public SDVariable build(AttentionGraph graph, String name, SDVariable queries,
      SDVariable keysValues, int lq, int lk, boolean causal, MultiHeadWeights init) {
    SameDiff sd = graph.sameDiff();
    INDArray[] parts = init.parts();
    SDVariable[] w = new SDVariable[parts.length];
    for (int i = 0; i < parts.length; i++) {
      w[i] = sd.var(name + "/" + MultiHeadWeights.NAMES[i], parts[i].castTo(graph.dataType()));
    }
    SDVariable q = splitHeads(sd, linear(sd, queries, w[0], w[1]), lq); // [b, h, Lq, headDim]
    SDVariable k = splitHeads(sd, linear(sd, keysValues, w[2], w[3]), lk);
    SDVariable v = splitHeads(sd, linear(sd, keysValues, w[4], w[5]), lk);
    AttentionShape shape = new AttentionShape(heads, lq, lk, headDim);
    SDVariable context = kernel.build(graph, name + "/" + kernel.name(), q, k, v, shape, causal,
        shape.defaultScale());
    SDVariable merged = mix
        ? sd.reshape(context, -1, dModel)
        : sd.reshape(sd.permute(context, 0, 2, 1, 3), -1, dModel); // [b * Lq, dModel]
    return sd.reshape(name, sd.mmul(merged, w[6]).add(w[7]), -1, lq, dModel);
  }

  private SDVariable linear(SameDiff sd, SDVariable x, SDVariable weight, SDVariable bias) {
    return sd.mmul(sd.reshape(x, -1, dModel), weight).add(bias); // [b * L, dModel]
  }

  private SDVariable splitHeads(SameDiff sd, SDVariable rows, int length) {
    return sd.permute(sd.reshape(rows, -1, length, heads, headDim), 0, 2, 1, 3);
  }

  /** Prepares eager inference with fixed weights. */
  public Inference inference(MultiHeadWeights weights) {
    return InferenceWorkspace.outside(() -> new Inference(weights));
  }

  /** The eager form with its weights laid out for few, large matmuls. */
  public final class Inference {

    private final INDArray qkv; // [dModel, 3 dModel], the query part pre-scaled
    private final INDArray qkvBias;
    private final INDArray kv; // [dModel, 2 dModel]
    private final INDArray kvBias;
    private final INDArray wq;
    private final INDArray bq;
    private final INDArray wo;
    private final INDArray bo;

    private Inference(MultiHeadWeights w) {
      double scale = 1.0 / Math.sqrt(headDim);
      this.wq = w.wq().mul(scale);
      this.bq = w.bq().mul(scale);
      this.qkv = Nd4j.hstack(wq, w.wk(), w.wv());
      this.qkvBias = Nd4j.concat(0, bq, w.bk(), w.bv()).reshape(1, 3L * dModel);
      this.kv = Nd4j.hstack(w.wk(), w.wv());
      this.kvBias = Nd4j.concat(0, w.bk(), w.bv()).reshape(1, 2L * dModel);
      this.wo = w.wo();
      this.bo = w.bo().reshape(1, dModel);
    }

    /** Self-attention: {@code x [batch, L, dModel]} to {@code [batch, L, dModel]}. */
    public INDArray forward(INDArray x, boolean causal) {
      long batch = x.size(0);
      long length = x.size(1);
      INDArray projected = Nd4j.matmul(x.reshape(batch * length, dModel), qkv)
          .addiRowVector(qkvBias);
      INDArray split = projected.reshape(batch, length, 3, heads, headDim)
          .permute(2, 0, 3, 1, 4).dup('c'); // [3, batch, heads, L, headDim]
      INDArray context = kernel.attend(split.slice(0), split.slice(1), split.slice(2), causal, 1);
      return merge(context, batch, length);
    }

    /** Cross-attention: queries from {@code x [batch, Lq, dModel]}, keys and values from memory. */
    public INDArray forward(INDArray x, INDArray memory, boolean causal) {
      long batch = x.size(0);
      long lq = x.size(1);
      long lk = memory.size(1);
      INDArray q = Nd4j.matmul(x.reshape(batch * lq, dModel), wq).addiRowVector(bq)
          .reshape(batch, lq, heads, headDim).permute(0, 2, 1, 3).dup('c');
      INDArray split = Nd4j.matmul(memory.reshape(batch * lk, dModel), kv).addiRowVector(kvBias)
          .reshape(batch, lk, 2, heads, headDim).permute(2, 0, 3, 1, 4).dup('c');
      INDArray context = kernel.attend(q, split.slice(0), split.slice(1), causal, 1);
      return merge(context, batch, lq);
    }

    private INDArray merge(INDArray context, long batch, long length) {
      INDArray rows = mix
          ? context.reshape(batch * length, dModel)
          : context.permute(0, 2, 1, 3).dup('c').reshape(batch * length, dModel);
      return Nd4j.matmul(rows, wo).addiRowVector(bo).reshape(batch, length, dModel);
    }
  }
}

package io.tidecast.forecaster.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention, {@code softmax(scale * Q K^T + mask) V}: every query against every
 * key, O(Lq * Lk) scores per head.
 */
public final class FullAttention implements AttentionKernel {

  public static final FullAttention INSTANCE = new FullAttention();

  private FullAttention() {}

  @Override
  public String name() {
    return "full";
  }

  @Override
  public INDArray attend(INDArray q, INDArray k, INDArray v, boolean causal, double scale) {
    int lq = (int) q.size(2);
    int lk = (int) k.size(2);
    INDArray scores = Nd4j.matmul(q, k, false, true, false); // [batch, heads, Lq, Lk]
    if (scale != 1) {
      scores.muli(scale);
    }
    if (causal) {
      Nd4j.exec(new BroadcastAddOp(scores, Masks.causal(lq, lk, scores.dataType()), scores, 2, 3));
    }
    Nd4j.exec(new SoftMax(scores, scores, 3));
    return Nd4j.matmul(scores, v); // [batch, heads, Lq, headDim]
  }

  @Override
  public SDVariable build(AttentionGraph graph, String name, SDVariable q, SDVariable k,
      SDVariable v, AttentionShape shape, boolean causal, double scale) {
    SameDiff sd = graph.sameDiff();
    SDVariable scores = sd.mmul(q, k, false, true, false).mul(scale); // [batch, heads, Lq, Lk]
    if (causal) {
      scores = scores.add(sd.constant(name + "/mask",
          Masks.causal(shape.queries(), shape.keys(), graph.dataType())));
    }
    SDVariable weights = sd.nn().softmax(scores, 3);
    return sd.mmul(name, weights, v); // [batch, heads, Lq, headDim]
  }
}

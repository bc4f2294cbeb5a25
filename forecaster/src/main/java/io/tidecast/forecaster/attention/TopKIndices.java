package io.tidecast.forecaster.attention;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * libnd4j's {@code top_k} along the last axis, with its integer arguments in the order the native op
 * reads them ({@code k}, then {@code sorted}); ND4J's own {@code TopK} wrapper passes them the
 * other way round and silently returns one element. Output 1 holds the indices, which carry no
 * gradient.
 */
public final class TopKIndices extends DynamicCustomOp {

  /** For graph deserialisation. */
  public TopKIndices() {}

  TopKIndices(SameDiff sd, SDVariable input, int k) {
    super(null, sd, new SDVariable[] {input}, false);
    addIArgument(k, 0);
  }

  /** The {@code [..., k]} indices of the {@code k} largest values of {@code input}'s last axis. */
  static SDVariable of(SameDiff sd, SDVariable input, int k) {
    return new TopKIndices(sd, input, k).outputVariables()[1];
  }

  @Override
  public String opName() {
    return "top_k";
  }

  @Override
  public int getNumOutputs() {
    return 2;
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(0), DataType.INT32);
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    return List.of(sameDiff.zerosLike(arg()));
  }
}

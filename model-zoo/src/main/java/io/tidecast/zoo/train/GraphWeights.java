package io.tidecast.zoo.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The weights of a {@link TrainableGraph}: its parameters and batch-norm running statistics. */
public final class GraphWeights {

  private GraphWeights() {}

  /** Every parameter and running statistic of {@code sd}, by name, as the graph's own arrays. */
  public static Map<String, INDArray> of(SameDiff sd, List<String> batchNorms) {
    Map<String, INDArray> weights = new TreeMap<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        weights.put(v.name(), v.getArr());
      }
    }
    for (String bn : batchNorms) {
      weights.put(bn + TrainableGraph.RUNNING_MEAN,
          sd.getArrForVarName(bn + TrainableGraph.RUNNING_MEAN));
      weights.put(bn + TrainableGraph.RUNNING_VARIANCE,
          sd.getArrForVarName(bn + TrainableGraph.RUNNING_VARIANCE));
    }
    return weights;
  }

  /**
   * Copies {@code values} into {@code own} (a graph's {@link #of} arrays).
   *
   * @throws IllegalArgumentException naming the first weight that is missing, unexpected, or of
   *     another shape
   */
  public static void load(Map<String, INDArray> own, Map<String, INDArray> values) {
    Set<String> unexpected = new TreeSet<>(values.keySet());
    unexpected.removeAll(own.keySet());
    if (!unexpected.isEmpty()) {
      throw new IllegalArgumentException("weights this model does not have: " + unexpected);
    }
    for (Map.Entry<String, INDArray> e : own.entrySet()) {
      INDArray value = values.get(e.getKey());
      if (value == null) {
        throw new IllegalArgumentException("weight " + e.getKey() + " is missing");
      }
      if (!Arrays.equals(value.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("weight " + e.getKey() + " has shape "
            + Arrays.toString(value.shape()) + ", the model needs "
            + Arrays.toString(e.getValue().shape()));
      }
      e.getValue().assign(value.castTo(e.getValue().dataType()));
    }
  }
}

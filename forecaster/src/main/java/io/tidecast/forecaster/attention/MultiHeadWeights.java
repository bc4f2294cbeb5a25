package io.tidecast.forecaster.attention;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters of a multi-head attention layer: four projections {@code x W + b}, each weight
 * {@code [dModel, dModel]} (input rows, output columns) and bias {@code [dModel]}.
 */
public record MultiHeadWeights(INDArray wq, INDArray bq, INDArray wk, INDArray bk, INDArray wv,
    INDArray bv, INDArray wo, INDArray bo) {

  /** Suffixes of the variable names under a layer's name, in component order. */
  static final String[] NAMES = {"wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo"};

  /**
   * Weights and biases uniform in {@code [-1/sqrt(dModel), 1/sqrt(dModel)]}, the usual
   * initialisation of a linear layer.
   */
  public static MultiHeadWeights random(int dModel, DataType type, SplittableRandom random) {
    INDArray[] parts = new INDArray[NAMES.length];
    double bound = 1 / Math.sqrt(dModel);
    for (int i = 0; i < parts.length; i++) {
      double[] values = new double[i % 2 == 0 ? dModel * dModel : dModel];
      for (int j = 0; j < values.length; j++) {
        values[j] = (random.nextDouble() * 2 - 1) * bound;
      }
      INDArray array = Nd4j.createFromArray(values).castTo(type);
      parts[i] = i % 2 == 0 ? array.reshape(dModel, dModel) : array;
    }
    return of(parts);
  }

  /** The weights of a layer named {@code name} held in a map such as a graph's variables. */
  public static MultiHeadWeights from(Map<String, INDArray> arrays, String name) {
    INDArray[] parts = new INDArray[NAMES.length];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = arrays.get(name + "/" + NAMES[i]);
      if (parts[i] == null) {
        throw new IllegalArgumentException("no array " + name + "/" + NAMES[i]);
      }
    }
    return of(parts);
  }

  INDArray[] parts() {
    return new INDArray[] {wq, bq, wk, bk, wv, bv, wo, bo};
  }

  private static MultiHeadWeights of(INDArray[] p) {
    return new MultiHeadWeights(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
  }
}

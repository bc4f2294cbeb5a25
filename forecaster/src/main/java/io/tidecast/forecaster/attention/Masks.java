package io.tidecast.forecaster.attention;

import io.tidecast.forecaster.InferenceWorkspace;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Additive score masks, cached by size, since the same few window lengths recur on every call. */
final class Masks {

  /**
   * The value added to a masked score. Finite, so that no {@code inf - inf} appears in a gradient,
   * and large enough that its softmax weight is exactly 0 in float and double.
   */
  static final double MASKED = -1e9;

  private static final Map<String, INDArray> CAUSAL = new ConcurrentHashMap<>();
  private static final Map<String, INDArray> LOWER = new ConcurrentHashMap<>();

  private Masks() {}

  /** True where query {@code i} may not see key {@code j}: {@code j > i + (keys - queries)}. */
  static boolean future(int query, int key, int queries, int keys) {
    return key > query + (keys - queries);
  }

  /** {@code [queries, keys]}: {@link #MASKED} on the future keys of each query, 0 elsewhere. */
  static INDArray causal(int queries, int keys, DataType type) {
    return CAUSAL.computeIfAbsent(queries + "x" + keys + type, any -> InferenceWorkspace.outside(() -> {
      double[] mask = new double[queries * keys];
      for (int i = 0; i < queries; i++) {
        for (int j = 0; j < keys; j++) {
          mask[i * keys + j] = future(i, j, queries, keys) ? MASKED : 0;
        }
      }
      return Nd4j.createFromArray(mask).reshape(queries, keys).castTo(type);
    }));
  }

  /** {@code [n, n]} lower-triangular ones as an array, made once per size and type. */
  static INDArray lowerOnesMatrix(int n, DataType type) {
    return LOWER.computeIfAbsent(n + "x" + type, any -> InferenceWorkspace.outside(
        () -> Nd4j.createFromArray(lowerOnes(n)).reshape(n, n).castTo(type)));
  }

  /** {@code [rows, cols]} lower-triangular ones (diagonal included): a cumulative sum as a matmul. */
  static double[] lowerOnes(int n) {
    double[] ones = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        ones[i * n + j] = 1;
      }
    }
    return ones;
  }
}

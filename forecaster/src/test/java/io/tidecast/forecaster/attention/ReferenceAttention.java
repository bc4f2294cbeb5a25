package io.tidecast.forecaster.attention;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain loops over {@code double[batch][heads][length][dim]}, written straight from the maths. */
final class ReferenceAttention {

  private ReferenceAttention() {}

  static double[][][][] full(double[][][][] q, double[][][][] k, double[][][][] v, boolean causal,
      double scale) {
    int lq = q[0][0].length;
    int lk = k[0][0].length;
    double[][][][] out = new double[q.length][q[0].length][lq][];
    for (int b = 0; b < q.length; b++) {
      for (int h = 0; h < q[0].length; h++) {
        for (int i = 0; i < lq; i++) {
          int visible = causal ? i + (lk - lq) + 1 : lk;
          out[b][h][i] = attendRow(q[b][h][i], k[b][h], v[b][h], visible, scale);
        }
      }
    }
    return out;
  }

  /** Softmax-weighted sum of the first {@code visible} values for one query. */
  static double[] attendRow(double[] query, double[][] keys, double[][] values, int visible,
      double scale) {
    double[] score = new double[visible];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < visible; j++) {
      score[j] = scale * dot(query, keys[j]);
      max = Math.max(max, score[j]);
    }
    double total = 0;
    for (int j = 0; j < visible; j++) {
      score[j] = Math.exp(score[j] - max);
      total += score[j];
    }
    double[] row = new double[values[0].length];
    for (int j = 0; j < visible; j++) {
      for (int d = 0; d < row.length; d++) {
        row[d] += score[j] / total * values[j][d];
      }
    }
    return row;
  }

  /** Sparsity {@code M[b][h][i]} over the sampled keys {@code sample[i * perQuery + s]}. */
  static double[][][] sparsity(double[][][][] q, double[][][][] k, int[] sample, int perQuery) {
    int lk = k[0][0].length;
    double[][][] m = new double[q.length][q[0].length][q[0][0].length];
    for (int b = 0; b < q.length; b++) {
      for (int h = 0; h < q[0].length; h++) {
        for (int i = 0; i < q[0][0].length; i++) {
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          for (int s = 0; s < perQuery; s++) {
            double p = dot(q[b][h][i], k[b][h][sample[i * perQuery + s]]);
            max = Math.max(max, p);
            sum += p;
          }
          m[b][h][i] = max - sum / lk;
        }
      }
    }
    return m;
  }

  /** Indices of the {@code u} largest entries, ties to the earlier index. */
  static int[] top(double[] m, int u) {
    Integer[] order = new Integer[m.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> m[a] != m[b] ? Double.compare(m[b], m[a]) : Integer.compare(a, b));
    int[] top = new int[u];
    for (int i = 0; i < u; i++) {
      top[i] = order[i];
    }
    return top;
  }

  static double[][][][] probSparse(double[][][][] q, double[][][][] k, double[][][][] v,
      boolean causal, double scale, int factor, int[] sample) {
    int lq = q[0][0].length;
    int lk = k[0][0].length;
    int perQuery = ProbSparseAttention.topCount(factor, lk);
    int u = ProbSparseAttention.topCount(factor, lq);
    double[][][] m = sparsity(q, k, sample, perQuery);
    double[][][][] out = new double[q.length][q[0].length][lq][];
    for (int b = 0; b < q.length; b++) {
      for (int h = 0; h < q[0].length; h++) {
        double[][] values = v[b][h];
        int dim = values[0].length;
        double[] running = new double[dim];
        double[] mean = new double[dim];
        for (double[] row : values) {
          for (int d = 0; d < dim; d++) {
            mean[d] += row[d] / lk;
          }
        }
        for (int i = 0; i < lq; i++) {
          for (int d = 0; d < dim; d++) {
            running[d] += causal ? values[i][d] : 0;
          }
          out[b][h][i] = causal ? running.clone() : mean.clone();
        }
        for (int i : top(m[b][h], u)) {
          out[b][h][i] = attendRow(q[b][h][i], k[b][h], values, causal ? i + 1 : lk, scale);
        }
      }
    }
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[][][][] random(java.util.SplittableRandom random, int b, int h, int l, int d) {
    double[][][][] x = new double[b][h][l][d];
    for (double[][][] a : x) {
      for (double[][] c : a) {
        for (double[] row : c) {
          for (int i = 0; i < d; i++) {
            row[i] = random.nextGaussian();
          }
        }
      }
    }
    return x;
  }

  static INDArray array(double[][][][] x, DataType type) {
    return Nd4j.create(x).castTo(type);
  }

  static double maxAbsDiff(INDArray actual, double[][][][] expected) {
    return maxAbs(actual.castTo(DataType.DOUBLE).sub(Nd4j.create(expected)));
  }

  static double maxAbs(INDArray x) {
    return x.amaxNumber().doubleValue();
  }
}

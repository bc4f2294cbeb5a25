package io.tidecast.zoo.lmuformer;

/**
 * The Legendre delay system of order {@code d} and window {@code theta}, discretised by zero-order
 * hold with step 1: {@code m_t = Abar m_{t-1} + Bbar u_t} keeps in {@code m} the Legendre
 * coefficients of the last {@code theta} steps of {@code u}. Continuous form:
 * {@code A[i][j] = (2i + 1) / theta * (i < j ? -1 : (-1)^(i - j + 1))},
 * {@code B[i] = (2i + 1) / theta * (-1)^i}; then {@code exp([[A, B], [0, 0]])} holds
 * {@code [[Abar, Bbar], [0, 1]]}. All in double precision.
 */
public final class LegendreMemory {

  private final int order;
  private final double theta;
  private final double[][] aBar;
  private final double[] bBar;

  public LegendreMemory(int order, double theta) {
    if (order < 1 || !(theta > 0)) {
      throw new IllegalArgumentException("order must be >= 1 and theta > 0, got " + order + ", "
          + theta);
    }
    this.order = order;
    this.theta = theta;
    double[][] augmented = new double[order + 1][order + 1];
    for (int i = 0; i < order; i++) {
      double scale = (2 * i + 1) / theta;
      for (int j = 0; j < order; j++) {
        augmented[i][j] = scale * (i < j ? -1 : ((i - j + 1) % 2 == 0 ? 1 : -1));
      }
      augmented[i][order] = scale * (i % 2 == 0 ? 1 : -1);
    }
    double[][] e = expm(augmented);
    aBar = new double[order][order];
    bBar = new double[order];
    for (int i = 0; i < order; i++) {
      System.arraycopy(e[i], 0, aBar[i], 0, order);
      bBar[i] = e[i][order];
    }
  }

  public int order() {
    return order;
  }

  public double theta() {
    return theta;
  }

  /** {@code Abar}, {@code [order][order]} (a copy). */
  public double[][] aBar() {
    double[][] copy = new double[order][];
    for (int i = 0; i < order; i++) {
      copy[i] = aBar[i].clone();
    }
    return copy;
  }

  /** {@code Bbar}, {@code [order]} (a copy). */
  public double[] bBar() {
    return bBar.clone();
  }

  /**
   * The impulse response {@code H_k = Abar^k Bbar} for {@code k = 0 .. length - 1}, as
   * {@code [length][order]}: the memory after a unit input {@code k} steps ago.
   */
  public double[][] impulseResponse(int length) {
    double[][] h = new double[length][];
    double[] current = bBar.clone();
    for (int k = 0; k < length; k++) {
      h[k] = current;
      current = times(aBar, current);
    }
    return h;
  }

  /** One step of the recurrence: {@code Abar m + Bbar u}. */
  public double[] step(double[] m, double u) {
    double[] next = times(aBar, m);
    for (int i = 0; i < order; i++) {
      next[i] += bBar[i] * u;
    }
    return next;
  }

  private static double[] times(double[][] a, double[] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double s = 0;
      for (int j = 0; j < x.length; j++) {
        s += a[i][j] * x[j];
      }
      y[i] = s;
    }
    return y;
  }

  /**
   * The matrix exponential by scaling and squaring: {@code exp(M) = exp(M / 2^s)^(2^s)} with
   * {@code s} chosen so that {@code |M / 2^s|} (max row sum) is at most 1/2, and the Taylor series
   * of the scaled matrix summed until its terms no longer change the sum.
   */
  static double[][] expm(double[][] m) {
    int n = m.length;
    double norm = 0;
    for (double[] row : m) {
      double sum = 0;
      for (double v : row) {
        sum += Math.abs(v);
      }
      norm = Math.max(norm, sum);
    }
    int squarings = norm <= 0.5 ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
    double scale = Math.pow(2, -squarings);
    double[][] scaled = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        scaled[i][j] = m[i][j] * scale;
      }
    }
    double[][] sum = identity(n);
    double[][] term = identity(n);
    for (int k = 1; k <= 40; k++) {
      term = multiply(term, scaled);
      double largest = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          term[i][j] /= k;
          sum[i][j] += term[i][j];
          largest = Math.max(largest, Math.abs(term[i][j]));
        }
      }
      if (largest < 1e-18) {
        break;
      }
    }
    for (int s = 0; s < squarings; s++) {
      sum = multiply(sum, sum);
    }
    return sum;
  }

  private static double[][] identity(int n) {
    double[][] id = new double[n][n];
    for (int i = 0; i < n; i++) {
      id[i][i] = 1;
    }
    return id;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int inner = b.length;
    int cols = b[0].length;
    double[][] c = new double[n][cols];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < inner; k++) {
        double aik = a[i][k];
        if (aik != 0) {
          for (int j = 0; j < cols; j++) {
            c[i][j] += aik * b[k][j];
          }
        }
      }
    }
    return c;
  }
}

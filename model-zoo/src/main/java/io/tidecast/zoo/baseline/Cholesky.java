package io.tidecast.zoo.baseline;

/** Solving symmetric positive definite systems {@code A X = B} by Cholesky factorisation. */
public final class Cholesky {

  private Cholesky() {}

  /**
   * Solves {@code A X = B}.
   *
   * @param a {@code n x n}, row-major, symmetric positive definite; overwritten by its factor
   * @param b {@code n x m}, row-major
   * @return {@code X} as {@code [n][m]}
   * @throws IllegalArgumentException if {@code A} is not positive definite
   */
  public static double[][] solve(double[] a, int n, double[] b, int m) {
    // A = L L', L stored in the lower triangle of a.
    for (int j = 0; j < n; j++) {
      double diagonal = a[j * n + j];
      for (int k = 0; k < j; k++) {
        diagonal -= a[j * n + k] * a[j * n + k];
      }
      if (!(diagonal > 0)) {
        throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " is "
            + diagonal + "); the training windows may be constant");
      }
      double l = Math.sqrt(diagonal);
      a[j * n + j] = l;
      for (int i = j + 1; i < n; i++) {
        double sum = a[i * n + j];
        for (int k = 0; k < j; k++) {
          sum -= a[i * n + k] * a[j * n + k];
        }
        a[i * n + j] = sum / l;
      }
    }
    double[][] x = new double[n][m];
    for (int col = 0; col < m; col++) {
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        double sum = b[i * m + col];
        for (int k = 0; k < i; k++) {
          sum -= a[i * n + k] * z[k];
        }
        z[i] = sum / a[i * n + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double sum = z[i];
        for (int k = i + 1; k < n; k++) {
          sum -= a[k * n + i] * x[k][col];
        }
        x[i][col] = sum / a[i * n + i];
      }
    }
    return x;
  }
}

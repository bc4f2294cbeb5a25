package io.tidecast.forecaster;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The thread count of the native math code in this process: OpenBLAS's matrix products and
 * libnd4j's parallel loops. Both start with one thread per core, and their idle workers spin while
 * they wait for the next call; beside a service's own threads on a small machine they take the
 * cores the caller needs. Setting {@code OMP_NUM_THREADS} before the JVM starts has the same
 * effect as {@link #limit}.
 */
public final class NativeThreads {

  private NativeThreads() {}

  /** At most {@code threads} threads for every later native call. */
  public static void limit(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }

  /** The threads a matrix product may use now. */
  public static int current() {
    return Nd4j.factory().blas().getMaxThreads();
  }
}

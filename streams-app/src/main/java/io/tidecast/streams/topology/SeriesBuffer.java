package io.tidecast.streams.topology;

import java.util.Arrays;

/**
 * The recent readings of one series on its time grid, in a ring of fixed capacity indexed by grid
 * step ({@code epochMillis / step}). A step holds a reading or nothing (a gap). Writing a step
 * evicts whatever older step shared its slot; the caller deletes that step from the store too.
 */
final class SeriesBuffer {

  static final long EMPTY = Long.MIN_VALUE;

  private final long[] steps;
  private final double[][] values;
  private long newest = EMPTY;
  private long oldest = EMPTY;

  SeriesBuffer(int capacity, int channels) {
    steps = new long[capacity];
    Arrays.fill(steps, EMPTY);
    values = new double[capacity][channels];
  }

  int capacity() {
    return steps.length;
  }

  /** The newest step ever written, or {@link #EMPTY}. */
  long newest() {
    return newest;
  }

  /** Whether a window of {@code length} steps ending at {@code end} could be whole: data reaches back to its start. */
  boolean reaches(long end, int length) {
    return oldest != EMPTY && oldest <= end - length + 1;
  }

  boolean contains(long step) {
    return steps[slot(step)] == step;
  }

  /**
   * Writes a reading; returns the older step it evicted, or {@link #EMPTY}.
   */
  long put(long step, double[] reading) {
    int slot = slot(step);
    long evicted = steps[slot] != step ? steps[slot] : EMPTY;
    steps[slot] = step;
    System.arraycopy(reading, 0, values[slot], 0, reading.length);
    if (newest == EMPTY || step > newest) {
      newest = step;
    }
    if (oldest == EMPTY || step < oldest) {
      oldest = step;
    }
    return evicted;
  }

  /** The reading at a step; only valid if {@link #contains} says so. */
  double[] get(long step) {
    return values[slot(step)];
  }

  private int slot(long step) {
    return (int) Math.floorMod(step, (long) steps.length);
  }

  /**
   * The {@code length} steps ending at {@code end}, with gaps of at most {@code maxInterpolated}
   * steps filled by linear interpolation between the nearest readings on both sides (the left one
   * may lie just before the window).
   *
   * @return {@code [length][channels]}, or null if a longer gap, or one without a reading on both
   *     sides, falls inside the window, or the ring no longer holds its start. Rows of readings are
   *     the buffer's own (not copies: windows and observations copy what they keep); callers must
   *     not change them.
   */
  double[][] window(long end, int length, int maxInterpolated) {
    int total = length + maxInterpolated;
    long from = end - total + 1;
    if (newest == EMPTY || from <= newest - steps.length) {
      return null;
    }
    double[][] rows = new double[total][];
    int lastKnown = -1;
    for (int t = 0; t < total; t++) {
      long step = from + t;
      if (!contains(step)) {
        continue;
      }
      rows[t] = get(step);
      int gap = t - lastKnown - 1;
      boolean reachesWindow = t - 1 >= maxInterpolated;
      if (gap > 0 && reachesWindow) {
        if (lastKnown < 0 || gap > maxInterpolated) {
          return null;
        }
        double[] left = rows[lastKnown];
        for (int g = 1; g <= gap; g++) {
          double w = g / (double) (gap + 1);
          double[] filled = new double[left.length];
          for (int c = 0; c < left.length; c++) {
            filled[c] = left[c] + w * (rows[t][c] - left[c]);
          }
          rows[lastKnown + g] = filled;
        }
      }
      lastKnown = t;
    }
    if (lastKnown != total - 1) {
      return null;
    }
    return java.util.Arrays.copyOfRange(rows, maxInterpolated, total);
  }
}

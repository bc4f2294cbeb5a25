package io.tidecast.forecaster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The recent past of one series: time-stamped readings of several channels, oldest first.
 *
 * <p>A step whose reading is missing (a gap) is marked in {@link #missing()}; its values are NaN.
 * Every other value must be finite. Arrays are copied in and out, so a window never changes.
 *
 * @param series the series id
 * @param channels channel names, in the column order of {@code values}
 * @param timestamps one per step, strictly increasing
 * @param values {@code [time][channel]}
 * @param missing one flag per step, true where the reading is missing
 */
public record SeriesWindow(
    String series, List<String> channels, Instant[] timestamps, double[][] values, boolean[] missing) {

  public SeriesWindow {
    Objects.requireNonNull(series, "series");
    channels = List.copyOf(channels);
    timestamps = timestamps.clone();
    int steps = timestamps.length;
    if (values.length != steps || missing.length != steps) {
      throw new IllegalArgumentException("window of " + series + ": " + steps + " timestamps but "
          + values.length + " value rows and " + missing.length + " gap flags");
    }
    double[][] copy = new double[steps][];
    for (int t = 0; t < steps; t++) {
      if (t > 0 && !timestamps[t].isAfter(timestamps[t - 1])) {
        throw new IllegalArgumentException("window of " + series + ": timestamps not increasing at step "
            + t + " (" + timestamps[t - 1] + " then " + timestamps[t] + ")");
      }
      if (values[t].length != channels.size()) {
        throw new IllegalArgumentException("window of " + series + ": step " + t + " has "
            + values[t].length + " values for " + channels.size() + " channels");
      }
      copy[t] = values[t].clone();
      for (int c = 0; c < copy[t].length; c++) {
        if (missing[t]) {
          copy[t][c] = Double.NaN;
        } else if (!Double.isFinite(copy[t][c])) {
          throw new IllegalArgumentException("window of " + series + ": non-finite value "
              + copy[t][c] + " at step " + t + ", channel " + channels.get(c));
        }
      }
    }
    values = copy;
    missing = missing.clone();
  }

  /** A window with no gaps. */
  public static SeriesWindow complete(
      String series, List<String> channels, Instant[] timestamps, double[][] values) {
    return new SeriesWindow(series, channels, timestamps, values, new boolean[timestamps.length]);
  }

  public int length() {
    return timestamps.length;
  }

  /** The event time of the last step: a forecast made from this window is issued at it. */
  public Instant end() {
    return timestamps[timestamps.length - 1];
  }

  public boolean hasGaps() {
    for (boolean gap : missing) {
      if (gap) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Instant[] timestamps() {
    return timestamps.clone();
  }

  @Override
  public double[][] values() {
    double[][] copy = new double[values.length][];
    for (int t = 0; t < values.length; t++) {
      copy[t] = values[t].clone();
    }
    return copy;
  }

  @Override
  public boolean[] missing() {
    return missing.clone();
  }

  /** One value without copying the window. */
  public double value(int step, int channel) {
    return values[step][channel];
  }
}

package io.tidecast.forecaster.data;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.SeriesWindow;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A whole multi-channel series with no gaps: what a model trains on and what an evaluation slides
 * windows over. Rows are shared, not copied, between a series and its slices; treat them as
 * read-only.
 *
 * @param name the series id
 * @param channels channel names, in column order
 * @param frequency the sampling frequency
 * @param timestamps one per row, strictly increasing
 * @param values {@code [time][channel]}, all finite
 */
public record TimeSeries(
    String name, List<String> channels, Frequency frequency, Instant[] timestamps, double[][] values) {

  public TimeSeries {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(frequency, "frequency");
    channels = List.copyOf(channels);
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          name + ": " + timestamps.length + " timestamps but " + values.length + " rows");
    }
  }

  public int length() {
    return values.length;
  }

  public int channelIndex(String channel) {
    int index = channels.indexOf(channel);
    if (index < 0) {
      throw new IllegalArgumentException(name + " has no channel '" + channel + "'; it has " + channels);
    }
    return index;
  }

  /** Rows {@code [from, to)}. */
  public TimeSeries slice(int from, int to) {
    if (from < 0 || to > length() || from > to) {
      throw new IllegalArgumentException(
          name + ": rows [" + from + ", " + to + ") are outside [0, " + length() + ")");
    }
    return new TimeSeries(name, channels, frequency, Arrays.copyOfRange(timestamps, from, to),
        Arrays.copyOfRange(values, from, to));
  }

  /** The same rows with only the given channels, in the given order. */
  public TimeSeries select(List<String> keep) {
    int[] index = keep.stream().mapToInt(this::channelIndex).toArray();
    double[][] rows = new double[values.length][index.length];
    for (int t = 0; t < values.length; t++) {
      for (int i = 0; i < index.length; i++) {
        rows[t][i] = values[t][index[i]];
      }
    }
    return new TimeSeries(name, keep, frequency, timestamps, rows);
  }

  /** The window of {@code length} rows that starts at row {@code from}, as a model receives it. */
  public SeriesWindow window(int from, int length) {
    return SeriesWindow.complete(name, channels, Arrays.copyOfRange(timestamps, from, from + length),
        Arrays.copyOfRange(values, from, from + length));
  }
}

package io.tidecast.zoo.data;

import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeFeatures;
import io.tidecast.forecaster.data.TimeSeries;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sliding windows over a standardised series for training and evaluation: window {@code i} reads
 * rows {@code [i, i + input)} and forecasts rows {@code [i + input, i + input + horizon)}.
 * Standardised with a scaler fitted on the training rows only.
 */
public final class Windows {

  private final double[][] scaled;
  private final double[][] time;
  private final int[] inputs;
  private final int[] targets;
  private final int inputLength;
  private final int horizon;

  /**
   * @param series the rows to window (already sliced to a split)
   * @param scaler the training rows' scaler over all of {@code series}' channels
   * @param inputChannels indices of the channels the model reads
   * @param targetChannels indices of the channels it forecasts
   */
  public Windows(TimeSeries series, StandardScaler scaler, int[] inputChannels,
      int[] targetChannels, int inputLength, int horizon) {
    this(series, scaler, inputChannels, targetChannels, inputLength, horizon,
        TimeFeatures.of(series.frequency()).encode(series.timestamps()));
  }

  /**
   * With the calendar values of every row given ({@code [row][value]}), for a model that encodes
   * time its own way.
   */
  public Windows(TimeSeries series, StandardScaler scaler, int[] inputChannels,
      int[] targetChannels, int inputLength, int horizon, double[][] calendar) {
    if (series.length() < inputLength + horizon) {
      throw new IllegalArgumentException(series.name() + ": " + series.length()
          + " rows cannot hold one window of " + inputLength + " + " + horizon);
    }
    this.scaled = scaler.transform(series.values());
    if (calendar.length != series.length()) {
      throw new IllegalArgumentException(calendar.length + " calendar rows for "
          + series.length() + " rows");
    }
    this.time = calendar;
    this.inputs = inputChannels.clone();
    this.targets = targetChannels.clone();
    this.inputLength = inputLength;
    this.horizon = horizon;
  }

  /** Channel indices by name, in the order given. */
  public static int[] indices(TimeSeries series, List<String> names) {
    return names.stream().mapToInt(series::channelIndex).toArray();
  }

  public int count() {
    return scaled.length - inputLength - horizon + 1;
  }

  public int timeFeatures() {
    return time[0].length;
  }

  /** One batch of windows, as float arrays. */
  public record Batch(INDArray values, INDArray time, INDArray futureTime, INDArray target) {}

  /** The windows that start at {@code starts}. */
  public Batch batch(int[] starts) {
    int n = starts.length;
    int features = timeFeatures();
    float[] values = new float[n * inputLength * inputs.length];
    float[] windowTime = new float[n * inputLength * features];
    float[] futureTime = new float[n * horizon * features];
    float[] target = new float[n * horizon * targets.length];
    for (int i = 0; i < n; i++) {
      int start = starts[i];
      if (start < 0 || start >= count()) {
        throw new IndexOutOfBoundsException("window " + start + " of " + count());
      }
      for (int t = 0; t < inputLength; t++) {
        copy(scaled[start + t], inputs, values, (i * inputLength + t) * inputs.length);
        copy(time[start + t], windowTime, (i * inputLength + t) * features);
      }
      for (int t = 0; t < horizon; t++) {
        int row = start + inputLength + t;
        copy(scaled[row], targets, target, (i * horizon + t) * targets.length);
        copy(time[row], futureTime, (i * horizon + t) * features);
      }
    }
    return new Batch(array(values, n, inputLength, inputs.length),
        array(windowTime, n, inputLength, features), array(futureTime, n, horizon, features),
        array(target, n, horizon, targets.length));
  }

  private static void copy(double[] row, int[] channels, float[] into, int at) {
    for (int c = 0; c < channels.length; c++) {
      into[at + c] = (float) row[channels[c]];
    }
  }

  private static void copy(double[] row, float[] into, int at) {
    for (int c = 0; c < row.length; c++) {
      into[at + c] = (float) row[c];
    }
  }

  private static INDArray array(float[] data, long... shape) {
    return Nd4j.createFromArray(data).reshape(shape).castTo(DataType.FLOAT);
  }
}

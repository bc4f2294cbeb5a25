package io.tidecast.zoo.informer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The generative decoder's input: the last {@code labelLength} known steps of the window (the
 * start token) followed by {@code horizon} zero placeholders, in one {@code [batch, labelLength +
 * horizon, channels]} array. Calendar features are laid out the same way, with the real features
 * of the future steps, which are known in advance.
 */
public final class DecoderInput {

  private DecoderInput() {}

  /** From the window {@code [batch, inputLength, channels]}. */
  public static INDArray values(INDArray window, int labelLength, int horizon) {
    long batch = window.size(0);
    long length = window.size(1);
    long channels = window.size(2);
    if (labelLength > length) {
      throw new IllegalArgumentException(
          "labelLength " + labelLength + " exceeds the window of " + length);
    }
    INDArray start = window.get(NDArrayIndex.all(),
        NDArrayIndex.interval(length - labelLength, length), NDArrayIndex.all());
    INDArray placeholders = Nd4j.zeros(window.dataType(), batch, horizon, channels);
    return Nd4j.concat(1, start.dup(), placeholders);
  }

  /**
   * From the window's calendar features {@code [batch, inputLength, features]} and the future's
   * {@code [batch, horizon, features]}.
   */
  public static INDArray time(INDArray windowTime, INDArray futureTime, int labelLength) {
    long length = windowTime.size(1);
    INDArray start = windowTime.get(NDArrayIndex.all(),
        NDArrayIndex.interval(length - labelLength, length), NDArrayIndex.all());
    return Nd4j.concat(1, start.dup(), futureTime);
  }
}

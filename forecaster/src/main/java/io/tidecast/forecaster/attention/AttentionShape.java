package io.tidecast.forecaster.attention;

/**
 * The fixed sizes of one attention call in a graph, where the batch size is left open.
 *
 * @param heads number of heads
 * @param queries query length {@code Lq}
 * @param keys key and value length {@code Lk}
 * @param headDim size of each head
 */
public record AttentionShape(int heads, int queries, int keys, int headDim) {

  public AttentionShape {
    if (heads < 1 || queries < 1 || keys < 1 || headDim < 1) {
      throw new IllegalArgumentException("attention sizes must be positive: heads " + heads
          + ", queries " + queries + ", keys " + keys + ", headDim " + headDim);
    }
  }

  /** The usual score scale, {@code 1/sqrt(headDim)}. */
  public double defaultScale() {
    return 1.0 / Math.sqrt(headDim);
  }
}

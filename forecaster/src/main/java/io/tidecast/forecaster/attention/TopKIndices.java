package io.tidecast.forecaster.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The indices of the {@code k} largest values along the last axis, in a SameDiff graph, largest
 * first, ties to the earlier position (as {@link ProbSparseAttention#topRows} picks them). Built
 * from {@code k} rounds of argmax, each round pushing its pick far below every other value:
 * libnd4j's {@code top_k} took about 1 ms per row of 384 here (a third of a second for a batch of
 * 32 with 8 heads), where the rounds take a few milliseconds in all. The indices carry no
 * gradient.
 */
final class TopKIndices {

  private TopKIndices() {}

  /** {@code [..., k]} indices (64-bit integers) of the {@code k} largest values of {@code input}. */
  static SDVariable of(SameDiff sd, SDVariable input, int k, int length) {
    SDVariable rest = input;
    SDVariable[] picks = new SDVariable[k];
    for (int j = 0; j < k; j++) {
      picks[j] = sd.argmax(rest, true, -1); // [..., 1]
      if (j < k - 1) {
        rest = rest.add(sd.squeeze(sd.oneHot(picks[j], length, -1, Masks.MASKED, 0.0,
            rest.dataType()), -2));
      }
    }
    return sd.concat(-1, picks);
  }
}

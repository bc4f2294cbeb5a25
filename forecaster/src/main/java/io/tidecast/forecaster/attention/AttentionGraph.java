package io.tidecast.forecaster.attention;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph under construction, with what the attention pieces add to it besides ops: the
 * ProbSparse key samples, which are drawn outside the graph and fed as placeholders.
 *
 * <p>Training feeds fresh samples each step ({@link #freshSamples}), as the reference draws new ones
 * on every forward pass; inference and tests feed each kernel's fixed samples
 * ({@link #fixedSamples}), so a window always gives the same forecast.
 */
public final class AttentionGraph {

  private final SameDiff sameDiff;
  private final DataType dataType;
  private final List<KeySample> samples = new ArrayList<>();

  private record KeySample(String placeholder, int queries, int keys, int perQuery, long seed) {}

  public AttentionGraph(SameDiff sameDiff, DataType dataType) {
    if (!dataType.isFPType()) {
      throw new IllegalArgumentException("attention needs a floating-point type, not " + dataType);
    }
    this.sameDiff = sameDiff;
    this.dataType = dataType;
  }

  public SameDiff sameDiff() {
    return sameDiff;
  }

  public DataType dataType() {
    return dataType;
  }

  /** Declares an INT32 placeholder {@code [queries * perQuery]} of sampled key positions. */
  SDVariable keySamples(String name, int queries, int keys, int perQuery, long seed) {
    samples.add(new KeySample(name, queries, keys, perQuery, seed));
    return sameDiff.placeHolder(name, DataType.INT32, (long) queries * perQuery);
  }

  /** Names of the key-sample placeholders, in the order they were declared. */
  public List<String> samplePlaceholders() {
    return samples.stream().map(KeySample::placeholder).toList();
  }

  /** New samples for every placeholder, drawn from {@code random}: one training step's worth. */
  public Map<String, INDArray> freshSamples(SplittableRandom random) {
    Map<String, INDArray> feed = new HashMap<>();
    for (KeySample s : samples) {
      feed.put(s.placeholder(), Nd4j.createFromArray(
          ProbSparseAttention.sampleKeys(s.queries(), s.keys(), s.perQuery(), random)));
    }
    return feed;
  }

  /** Each kernel's own fixed samples, the ones its eager form uses: for inference and tests. */
  public Map<String, INDArray> fixedSamples() {
    Map<String, INDArray> feed = new HashMap<>();
    for (KeySample s : samples) {
      feed.put(s.placeholder(), Nd4j.createFromArray(ProbSparseAttention.sampleKeys(
          s.queries(), s.keys(), s.perQuery(), new SplittableRandom(s.seed()))));
    }
    return feed;
  }
}

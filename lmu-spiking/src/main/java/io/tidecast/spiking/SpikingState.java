package io.tidecast.spiking;

import io.tidecast.zoo.lmuformer.StateBytes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A series' place in the stream of a spiking LMUFormer: readings taken, the time of the last, and
 * the stepper's state ({@link SpikingStepper}). Encoded as the count, the time (seconds, nanos;
 * nanos -1 for none) and the doubles, big-endian.
 */
public record SpikingState(long seen, Instant last, double[] values) {

  public SpikingState {
    if (seen < 0) {
      throw new IllegalArgumentException("seen " + seen);
    }
  }

  public byte[] encode() {
    ByteBuffer buffer = StateBytes.allocate(seen, last, (long) Double.BYTES * values.length);
    buffer.asDoubleBuffer().put(values);
    return buffer.array();
  }

  /** @throws IllegalArgumentException if {@code bytes} are not a state of {@code size} values */
  public static SpikingState decode(byte[] bytes, int size) {
    StateBytes.Header header = StateBytes.read(bytes, (long) Double.BYTES * size);
    double[] values = new double[size];
    header.values().asDoubleBuffer().get(values);
    return new SpikingState(header.seen(), header.last(), values);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpikingState s && s.seen == seen && Objects.equals(s.last, last)
        && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(seen) * 31 + Objects.hashCode(last)) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "SpikingState[seen=" + seen + ", last=" + last + ", " + values.length + " values]";
  }
}

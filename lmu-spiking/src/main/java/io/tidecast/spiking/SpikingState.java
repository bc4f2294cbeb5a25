package io.tidecast.spiking;

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

  static final int HEADER = Long.BYTES + Long.BYTES + Integer.BYTES;

  public SpikingState {
    if (seen < 0) {
      throw new IllegalArgumentException("seen " + seen);
    }
  }

  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + Double.BYTES * values.length);
    buffer.putLong(seen);
    buffer.putLong(last == null ? 0 : last.getEpochSecond());
    buffer.putInt(last == null ? -1 : last.getNano());
    buffer.asDoubleBuffer().put(values);
    return buffer.array();
  }

  /** @throws IllegalArgumentException if {@code bytes} are not a state of {@code size} doubles */
  public static SpikingState decode(byte[] bytes, int size) {
    if (bytes.length != HEADER + Double.BYTES * (long) size) {
      throw new IllegalArgumentException("a state of this model has "
          + (HEADER + (long) Double.BYTES * size) + " bytes, got " + bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long seen = buffer.getLong();
    long seconds = buffer.getLong();
    int nanos = buffer.getInt();
    double[] values = new double[size];
    buffer.asDoubleBuffer().get(values);
    return new SpikingState(seen, nanos < 0 ? null : Instant.ofEpochSecond(seconds, nanos), values);
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

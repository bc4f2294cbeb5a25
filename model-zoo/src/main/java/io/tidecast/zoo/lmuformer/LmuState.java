package io.tidecast.zoo.lmuformer;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an {@link LmuStepper} keeps per series: the readings seen and one array with the
 * convolutions' recent inputs, each block's memory and the ring of its recent memory inputs, the
 * raw window's memory and ring, and the last representation. A value: never changed once made.
 *
 * @param seen readings consumed so far
 * @param last the time of the last reading, or null before the first (or when not tracked)
 * @param values the layout of {@link LmuStepper}; treat as read-only
 */
public record LmuState(long seen, Instant last, float[] values) {

  /** Bytes before the values: readings seen, then the last time's seconds and nanoseconds. */
  static final int HEADER = Long.BYTES + Long.BYTES + Integer.BYTES;

  public LmuState {
    if (seen < 0) {
      throw new IllegalArgumentException("seen " + seen);
    }
  }

  /** The same state with the last reading's time. */
  public LmuState at(Instant time) {
    return new LmuState(seen, time, values);
  }

  /**
   * {@code seen}, the last time (seconds and nanoseconds; nanoseconds -1 for none), then the values
   * as 4-byte floats, big-endian.
   */
  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + Float.BYTES * values.length);
    buffer.putLong(seen);
    buffer.putLong(last == null ? 0 : last.getEpochSecond());
    buffer.putInt(last == null ? -1 : last.getNano());
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  /**
   * @throws IllegalArgumentException if the bytes do not hold a state of {@code size} values
   */
  public static LmuState decode(byte[] bytes, int size) {
    if (bytes.length != HEADER + Float.BYTES * (long) size) {
      throw new IllegalArgumentException("a state of this model has " + (HEADER + 4L * size)
          + " bytes, got " + bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long seen = buffer.getLong();
    long seconds = buffer.getLong();
    int nanos = buffer.getInt();
    float[] values = new float[size];
    buffer.asFloatBuffer().get(values);
    return new LmuState(seen, nanos < 0 ? null : Instant.ofEpochSecond(seconds, nanos), values);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LmuState s && s.seen == seen && Objects.equals(s.last, last)
        && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(seen) * 31 + Objects.hashCode(last)) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "LmuState[seen=" + seen + ", last=" + last + ", " + values.length + " values]";
  }
}

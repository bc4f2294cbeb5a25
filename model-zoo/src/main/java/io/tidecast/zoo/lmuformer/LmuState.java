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

  public LmuState {
    if (seen < 0) {
      throw new IllegalArgumentException("seen " + seen);
    }
  }

  /** The same state with the last reading's time. */
  public LmuState at(Instant time) {
    return new LmuState(seen, time, values);
  }

  /** In the layout of {@link StateBytes}, the values as 4-byte floats. */
  public byte[] encode() {
    ByteBuffer buffer = StateBytes.allocate(seen, last, (long) Float.BYTES * values.length);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  /** @throws IllegalArgumentException if {@code bytes} are not a state of {@code size} values */
  public static LmuState decode(byte[] bytes, int size) {
    StateBytes.Header header = StateBytes.read(bytes, (long) Float.BYTES * size);
    float[] values = new float[size];
    header.values().asFloatBuffer().get(values);
    return new LmuState(header.seen(), header.last(), values);
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

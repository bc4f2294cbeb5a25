package io.tidecast.zoo.lmuformer;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The byte layout shared by recurrent states: the count of readings taken, the time of the last
 * (seconds, nanos; nanos -1 for none), then the state's values, big-endian.
 */
public final class StateBytes {

  public static final int HEADER = Long.BYTES + Long.BYTES + Integer.BYTES;

  /** The count and time of a decoded state, and its buffer positioned at the values. */
  public record Header(long seen, Instant last, ByteBuffer values) {}

  private StateBytes() {}

  /** A buffer for a state of {@code valueBytes} bytes of values, its header written. */
  public static ByteBuffer allocate(long seen, Instant last, long valueBytes) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(HEADER + valueBytes));
    buffer.putLong(seen);
    buffer.putLong(last == null ? 0 : last.getEpochSecond());
    buffer.putInt(last == null ? -1 : last.getNano());
    return buffer;
  }

  /**
   * Reads the header of {@code bytes}.
   *
   * @throws IllegalArgumentException if {@code bytes} do not hold {@code valueBytes} bytes of
   *     values after the header
   */
  public static Header read(byte[] bytes, long valueBytes) {
    if (bytes.length != HEADER + valueBytes) {
      throw new IllegalArgumentException("a state of this model has " + (HEADER + valueBytes)
          + " bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long seen = b.getLong();
    long seconds = b.getLong();
    int nanos = b.getInt();
    return new Header(seen, nanos < 0 ? null : Instant.ofEpochSecond(seconds, nanos), b);
  }
}

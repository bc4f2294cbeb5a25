package io.tidecast.streams.topology;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The value of the latest-forecast store: the issue time (8 bytes) then the forecast JSON. */
public final class LatestForecast {

  private LatestForecast() {}

  static byte[] encode(long issuedAt, byte[] json) {
    return ByteBuffer.allocate(8 + json.length).putLong(issuedAt).put(json).array();
  }

  static long issuedAt(byte[] stored) {
    return ByteBuffer.wrap(stored).getLong();
  }

  /** The forecast JSON of a stored value. */
  public static byte[] json(byte[] stored) {
    return Arrays.copyOfRange(stored, 8, stored.length);
  }
}

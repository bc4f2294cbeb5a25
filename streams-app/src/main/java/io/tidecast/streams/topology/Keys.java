package io.tidecast.streams.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/** Store keys of the form series, a zero byte, then a big-endian grid step. */
final class Keys {

  private Keys() {}

  static Bytes prefix(String series) {
    byte[] s = series.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[s.length + 1];
    System.arraycopy(s, 0, key, 0, s.length);
    return Bytes.wrap(key);
  }

  static Bytes of(String series, long step) {
    byte[] s = series.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(s.length + 9).put(s).put((byte) 0).putLong(step).array());
  }

  static String series(Bytes key) {
    byte[] k = key.get();
    return new String(k, 0, k.length - 9, StandardCharsets.UTF_8);
  }

  static long step(Bytes key) {
    byte[] k = key.get();
    return ByteBuffer.wrap(k, k.length - 8, 8).getLong();
  }

  static byte[] values(double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length);
    for (double v : values) {
      buffer.putDouble(v);
    }
    return buffer.array();
  }

  static double[] values(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    double[] values = new double[bytes.length / 8];
    for (int i = 0; i < values.length; i++) {
      values[i] = buffer.getDouble();
    }
    return values;
  }
}

package io.tidecast.streams.topology;

import java.time.Duration;

/**
 * How due forecasts are batched: a batch runs when it holds {@code maxSize} series or when the
 * oldest due forecast has waited about {@code maxWait} (a wall-clock punctuator checks).
 */
public record BatchSettings(int maxSize, Duration maxWait) {

  public static final BatchSettings DEFAULT = new BatchSettings(256, Duration.ofMillis(20));

  public BatchSettings {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + maxSize);
    }
    if (maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("batch wait must be positive, got " + maxWait);
    }
  }
}

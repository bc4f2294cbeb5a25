package io.tidecast.streams.topology;

/**
 * What the topology reports as it works, for metrics. Called on stream threads: implementations
 * must be thread-safe and quick.
 */
public interface TopologyEvents {

  /** Reports nothing. */
  TopologyEvents NONE = new TopologyEvents() {};

  /** A reading passed validation. */
  default void accepted(String series) {}

  /** A record went to the dead-letter topic with this error code. */
  default void deadLettered(String code) {}

  /**
   * One model call served {@code forecasts} forecasts in {@code nanos} (for a recurrent model, the
   * state updates included).
   */
  default void served(String model, int forecasts, long nanos) {}
}

/**
 * The Kafka Streams topology: validation and dead letters, per-series windows in persistent stores,
 * batched inference, and the forecasts topic and store.
 */
package io.tidecast.streams.topology;

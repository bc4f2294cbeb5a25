/**
 * The Kafka Streams application: parsing and validating readings, per-series windows in state
 * stores, batched inference, forecasts and dead letters, the database writer and the embedded broker.
 */
package io.tidecast.streams;

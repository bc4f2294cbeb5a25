/** Settings of the streams application: topics, per-series settings, batching and Kafka properties. */
package io.tidecast.streams.config;

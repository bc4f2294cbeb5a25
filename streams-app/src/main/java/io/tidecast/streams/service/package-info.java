/** Running the streams application: broker, topics, models, Kafka Streams and the query endpoint. */
package io.tidecast.streams.service;

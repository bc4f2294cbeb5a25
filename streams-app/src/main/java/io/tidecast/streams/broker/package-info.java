/** A real Kafka broker in KRaft mode, in-process: the single-machine default and the tests' broker. */
package io.tidecast.streams.broker;

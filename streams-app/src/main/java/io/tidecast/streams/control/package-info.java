/** Decisions every instance must follow, such as which model version serves, kept in a compacted topic. */
package io.tidecast.streams.control;

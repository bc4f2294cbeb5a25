/**
 * The JSON messages on the topics: readings in, forecasts out, and the reasons a reading is
 * rejected to the dead-letter topic.
 */
package io.tidecast.streams.message;

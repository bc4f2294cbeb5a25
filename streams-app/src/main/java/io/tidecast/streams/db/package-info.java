/** The database side: the schema, the writer that stores readings and forecasts, and history queries. */
package io.tidecast.streams.db;

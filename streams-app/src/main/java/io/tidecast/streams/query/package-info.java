/**
 * Interactive queries of the latest-forecast store: answered from this instance's store when it
 * owns the series, or from the owning instance over HTTP, found through the streams metadata.
 */
package io.tidecast.streams.query;

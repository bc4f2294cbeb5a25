/** Forecast endpoints: the latest forecast of a series, and forecasts for a window sent in a request. */
package io.tidecast.api.forecast;

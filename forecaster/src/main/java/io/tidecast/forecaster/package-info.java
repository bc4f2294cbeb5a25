/**
 * The forecasting contracts shared by every model and by the service: series windows, forecasts,
 * batch and streaming forecasters, and the frequency of a series.
 */
package io.tidecast.forecaster;

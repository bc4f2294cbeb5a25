/** Forecast error metrics, averaged over every element as the Informer evaluation protocol does. */
package io.tidecast.forecaster.metrics;

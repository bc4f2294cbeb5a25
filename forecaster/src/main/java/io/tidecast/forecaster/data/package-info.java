/** Preparing series for models: standard scaling and calendar time features. */
package io.tidecast.forecaster.data;

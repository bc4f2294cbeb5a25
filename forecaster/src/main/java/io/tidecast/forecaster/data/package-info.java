/** Preparing series for models: reading CSV files, standard scaling and calendar time features. */
package io.tidecast.forecaster.data;

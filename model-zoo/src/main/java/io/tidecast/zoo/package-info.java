/**
 * The models built from the forecaster core, and the pieces that make them: base classes shared by
 * window models.
 */
package io.tidecast.zoo;

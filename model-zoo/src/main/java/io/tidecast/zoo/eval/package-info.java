/** Evaluation of forecasters on held-out rows, by the sliding-window protocol of the literature. */
package io.tidecast.zoo.eval;

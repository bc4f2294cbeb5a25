/** Splitting series into train, validation and test rows, and choosing the channels of a mode. */
package io.tidecast.zoo.data;

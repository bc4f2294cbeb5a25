/** Training: optimisers and the loops that fit SameDiff models to windows of a series. */
package io.tidecast.zoo.train;

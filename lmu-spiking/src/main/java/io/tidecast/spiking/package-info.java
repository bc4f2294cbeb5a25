/**
 * The spiking LMUFormer: leaky integrate-and-fire neurons with surrogate gradients in the LMUFormer
 * blocks of the model zoo, registered as one more model kind.
 */
package io.tidecast.spiking;

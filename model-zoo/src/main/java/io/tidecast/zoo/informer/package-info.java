/**
 * The Informer (Zhou et al., AAAI 2021): embedding, ProbSparse self-attention encoder with
 * self-attention distilling, and a generative decoder that forecasts the whole horizon in one
 * forward pass, built on the attention core.
 */
package io.tidecast.zoo.informer;

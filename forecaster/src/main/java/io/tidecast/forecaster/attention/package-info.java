/**
 * The attention core every model shares: scaled dot-product and ProbSparse attention over
 * {@code [batch, heads, length, headDim]}, a multi-head layer that takes either kernel, and a KV
 * cache for incremental causal attention, each in an eager inference form and a SameDiff training
 * form that run unchanged on the CPU and CUDA backends.
 */
package io.tidecast.forecaster.attention;

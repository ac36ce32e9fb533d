/**
 * Model compression (course chapter 11): quantization (post-training and quantization-aware) with
 * int8 kernels, pruning with sparse kernels, and knowledge distillation. See {@code docs/compression.md}.
 */
package org.sinter.compress;

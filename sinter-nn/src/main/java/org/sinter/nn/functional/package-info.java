/**
 * PyTorch's {@code torch.nn.functional}: the stateless functions in {@link org.sinter.nn.functional.F},
 * their operators (convolution, pooling, embedding) and, in {@code kernels}, the CPU kernels.
 */
package org.sinter.nn.functional;

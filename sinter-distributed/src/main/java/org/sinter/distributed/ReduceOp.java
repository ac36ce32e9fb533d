package org.sinter.distributed;

/**
 * How a collective combines the ranks' values (PyTorch's {@code dist.ReduceOp}). On bool tensors
 * SUM and MAX are logical or, PRODUCT and MIN logical and. AVG divides the sum by the group size;
 * on integer tensors the quotient is truncated toward zero (as NCCL's average of integers).
 */
public enum ReduceOp {
    SUM, AVG, PRODUCT, MIN, MAX
}

package org.sinter.kernels.gemm;

/**
 * Work a GEMM caller wants done on each finished block of C while the block is still in cache
 * (bias, activation, residual add: oneDNN's post-ops, MLAS's activation). The driver calls it once
 * per block, after the block's last depth slice and never again for that block; blocks are
 * disjoint and together cover C, and different threads may process different blocks concurrently.
 */
@FunctionalInterface
public interface GemmEpilogue {
    /** Rows {@code [row0, row0+rows)} and columns {@code [col0, col0+cols)} of C are final. */
    void apply(int row0, int rows, int col0, int cols);
}

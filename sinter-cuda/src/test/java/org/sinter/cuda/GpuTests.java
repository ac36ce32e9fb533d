package org.sinter.cuda;

/** The condition of the GPU tests: they run where CUDA is usable and skip cleanly elsewhere (CI has no GPU). */
public final class GpuTests {
    private GpuTests() {}

    public static boolean available() {
        return Cuda.isAvailable();
    }
}

package org.sinter.cuda;

import java.util.Map;
import org.sinter.cuda.driver.CudaException;
import org.sinter.cuda.driver.Cublas;
import org.sinter.cuda.driver.Driver;
import org.sinter.cuda.driver.Nvrtc;

/**
 * The GPU as a user sees it (PyTorch's {@code torch.cuda}): whether one is usable, device
 * properties, synchronisation, the caching allocator's statistics, and the GEMM provider. Tensors
 * reach the GPU with {@code tensor.to(Device.cuda(0))} or {@code tensor.cuda()}; modules with
 * {@code module.to(Device.cuda(0))}.
 */
public final class Cuda {
    /** Who multiplies matrices on the GPU: Sinter's own SGEMM kernels, or cuBLAS when installed. */
    public enum Blas { SINTER, CUBLAS }

    private static volatile Blas blas = initialBlas();
    private static volatile String unavailable;
    private static volatile boolean checked;

    private Cuda() {}

    private static Blas initialBlas() {
        String p = System.getProperty("sinter.cuda.blas", "sinter").trim().toLowerCase();
        return switch (p) {
            case "sinter", "own" -> Blas.SINTER;
            case "cublas" -> Blas.CUBLAS;
            default -> throw new IllegalArgumentException("system property sinter.cuda.blas must be sinter or cublas, got '" + p + "'");
        };
    }

    /** Why CUDA cannot be used here, or null when it can (a driver, NVRTC and at least one GPU). */
    public static String unavailableReason() {
        if (!checked) {
            synchronized (Cuda.class) {
                if (!checked) {
                    unavailable = probe();
                    checked = true;
                }
            }
        }
        return unavailable;
    }

    private static String probe() {
        try {
            if (!Driver.isLoaded()) return "no CUDA driver: libcuda.so.1 was not found (is the NVIDIA driver installed?)";
            if (Driver.deviceCount() == 0) return "the CUDA driver reports no GPU";
            if (!Nvrtc.isAvailable()) return "NVRTC (libnvrtc.so) was not found: install the CUDA toolkit's runtime compiler, "
                    + "or name the library with -Dsinter.cuda.nvrtc=PATH";
            return null;
        } catch (CudaException | UnsupportedOperationException | IllegalCallerException e) {
            return e.getMessage();
        }
    }

    public static boolean isAvailable() { return unavailableReason() == null; }

    /** Throws a clear error when CUDA cannot be used. */
    public static void requireAvailable() {
        String why = unavailableReason();
        if (why != null) throw new CudaException("CUDA is not available: " + why);
    }

    /** GPUs the driver reports; 0 without a driver or when it cannot initialise. */
    public static int deviceCount() {
        try {
            return Driver.isLoaded() ? Driver.deviceCount() : 0;
        } catch (CudaException e) {
            return 0;
        }
    }

    public static CudaDevice device(int index) {
        requireAvailable();
        return CudaDevice.get(index);
    }

    /** Waits for all queued work on {@code cuda:index}. */
    public static void synchronize(int index) { device(index).synchronize(); }

    public static void synchronize() { synchronize(0); }

    public static long memoryAllocated(int index) { return device(index).allocator().memoryAllocated(); }

    public static long memoryReserved(int index) { return device(index).allocator().memoryReserved(); }

    public static long maxMemoryAllocated(int index) { return device(index).allocator().maxMemoryAllocated(); }

    /** Returns cached, unused memory of every device in use to the driver. */
    public static void emptyCache() { CudaDevice.forEachStarted(d -> d.allocator().emptyCache()); }

    public static Blas blas() { return blas; }

    /** Selects the GEMM provider for later products; cuBLAS must be installed. */
    public static void setBlas(Blas b) {
        if (b == Blas.CUBLAS) Cublas.LIBRARY.require();
        blas = b;
    }

    /** How many times each op ran on the host because the GPU has no kernel for it (op name → count). */
    public static Map<String, Long> hostFallbacks() { return HostFallback.counts(); }
}

package org.sinter.cuda.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * cuBLAS through the FFM API, when installed: strided-batched SGEMM and DGEMM, called with
 * row-major arguments (the column-major library computes {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, the same
 * memory as row-major {@code C = op(A)·op(B)}). Selected like the CPU's OpenBLAS
 * ({@code org.sinter.cuda.Cuda.setBlas}).
 */
public final class Cublas {
    public static final NativeLibrary LIBRARY = NativeLibrary.find("cuBLAS (libcublas)", "sinter.cuda.cublas",
            List.of("libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11"), "cublas");

    private static MethodHandle create, setStream, sgemm, dgemm;

    private Cublas() {}

    public static boolean isAvailable() { return LIBRARY.isAvailable(); }

    private static synchronized void bind() {
        if (create != null) return;
        NativeLibrary l = LIBRARY;
        l.require();
        setStream = l.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        sgemm = l.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        dgemm = l.function("cublasDgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        create = l.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** A cuBLAS handle bound to {@code stream} (the current context must be set). */
    public static long createHandle(long stream) {
        bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(JAVA_LONG);
            check((int) create.invokeExact(h), "cublasCreate");
            long handle = h.get(JAVA_LONG, 0);
            check((int) setStream.invokeExact(handle, stream), "cublasSetStream");
            return handle;
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuBLAS call failed: " + t, t);
        }
    }

    /**
     * Row-major batched {@code C = alpha·op(A)·op(B) + beta·C} (op(A) is M×K, op(B) K×N), batch
     * strides in elements; float32 or float64 by {@code dtypeDouble}.
     */
    public static void gemm(long handle, boolean dtypeDouble, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
                            int batch) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment al = dtypeDouble ? ar.allocateFrom(JAVA_DOUBLE, alpha) : ar.allocateFrom(JAVA_FLOAT, (float) alpha);
            MemorySegment be = dtypeDouble ? ar.allocateFrom(JAVA_DOUBLE, beta) : ar.allocateFrom(JAVA_FLOAT, (float) beta);
            int opA = transA ? 1 : 0, opB = transB ? 1 : 0; // CUBLAS_OP_N = 0, CUBLAS_OP_T = 1
            int r = (int) (dtypeDouble ? dgemm : sgemm).invokeExact(handle, opB, opA, n, m, k, al, b, ldb, strideB, a, lda, strideA,
                    be, c, ldc, strideC, batch);
            check(r, dtypeDouble ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched");
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuBLAS call failed: " + t, t);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) throw new CudaException(call + " failed with cuBLAS status " + status);
    }
}

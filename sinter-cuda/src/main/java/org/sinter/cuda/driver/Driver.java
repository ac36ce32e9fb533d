package org.sinter.cuda.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * The CUDA driver API ({@code libcuda.so.1}, installed with the NVIDIA driver) through the FFM
 * API: devices, contexts, memory, streams, events, modules and kernel launches. Each wrapper
 * checks the result code and throws a {@link CudaException} naming the call and the driver's
 * error name and text. Handles (contexts, streams, modules, functions, events) are raw addresses
 * as {@code long}; device pointers are {@code long} too.
 */
public final class Driver {
    public static final NativeLibrary LIBRARY =
            NativeLibrary.find("The CUDA driver (libcuda)", "sinter.cuda.driver", List.of("libcuda.so.1", "libcuda.so"), null);

    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);

    private static MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuCtxSetCurrent, cuCtxSynchronize,
            cuMemAlloc, cuMemFree, cuMemAllocHost, cuMemFreeHost, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync,
            cuMemsetD8Async, cuMemsetD32Async, cuMemGetInfo, cuStreamCreate, cuStreamSynchronize, cuStreamDestroy,
            cuEventCreate, cuEventRecord, cuEventSynchronize, cuEventElapsedTime, cuEventDestroy, cuModuleLoadData,
            cuModuleGetFunction, cuLaunchKernel, cuGetErrorName, cuGetErrorString, cuStreamWaitEvent;
    private static volatile boolean bound;

    private Driver() {}

    /** True when libcuda loaded (a GPU may still be absent: see {@link #deviceCount}). */
    public static boolean isLoaded() { return LIBRARY.isAvailable(); }

    private static synchronized void bind() {
        if (bound) return;
        NativeLibrary l = LIBRARY;
        l.require();
        cuInit = l.function("cuInit", INT_INT);
        cuDriverGetVersion = l.function("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        cuDeviceGetCount = l.function("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        cuDeviceGet = l.function("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDeviceGetName = l.function("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceGetAttribute = l.function("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceTotalMem = l.function("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDevicePrimaryCtxRetain = l.function("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuCtxSetCurrent = l.function("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuCtxSynchronize = l.function("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));
        cuMemAlloc = l.function("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFree = l.function("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuMemAllocHost = l.function("cuMemAllocHost_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFreeHost = l.function("cuMemFreeHost", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuMemcpyHtoDAsync = l.function("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        cuMemcpyDtoHAsync = l.function("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        cuMemcpyDtoDAsync = l.function("cuMemcpyDtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        cuMemsetD8Async = l.function("cuMemsetD8Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG, JAVA_LONG));
        cuMemsetD32Async = l.function("cuMemsetD32Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        cuMemGetInfo = l.function("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cuStreamCreate = l.function("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuStreamSynchronize = l.function("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuStreamDestroy = l.function("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuStreamWaitEvent = l.function("cuStreamWaitEvent", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        cuEventCreate = l.function("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuEventRecord = l.function("cuEventRecord", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        cuEventSynchronize = l.function("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuEventElapsedTime = l.function("cuEventElapsedTime", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        cuEventDestroy = l.function("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuModuleLoadData = l.function("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cuModuleGetFunction = l.function("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        cuLaunchKernel = l.function("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        cuGetErrorName = l.function("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuGetErrorString = l.function("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        check(invoke(cuInit, 0), "cuInit");
        bound = true;
    }

    private static void ensure() {
        if (!bound) bind();
    }

    private static int invoke(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("CUDA driver call failed: " + t, t);
        }
    }

    /** Throws when {@code result} is not CUDA_SUCCESS, naming the call and the driver's error. */
    public static void check(int result, String call) {
        if (result == 0) return;
        throw new CudaException(call + " failed: " + errorName(result) + " (" + result + "): " + errorString(result));
    }

    private static String errorName(int code) {
        return describe(cuGetErrorName, code, "CUDA_ERROR_" + code);
    }

    private static String errorString(int code) {
        return describe(cuGetErrorString, code, "unknown error");
    }

    @SuppressWarnings("restricted") // the driver returns a C string of unknown length
    private static String describe(MethodHandle h, int code, String fallback) {
        if (h == null) return fallback;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if ((int) h.invokeExact(code, p) != 0) return fallback;
            MemorySegment s = p.get(ADDRESS, 0);
            return s.equals(MemorySegment.NULL) ? fallback : s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return fallback;
        }
    }

    // ------------------------------------------------------------------ devices and contexts

    public static int driverVersion() {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(invoke(cuDriverGetVersion, v), "cuDriverGetVersion");
            return v.get(JAVA_INT, 0);
        }
    }

    /** The number of GPUs; 0 when the driver reports none (CUDA_ERROR_NO_DEVICE). */
    public static int deviceCount() {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            int r = invoke(cuDeviceGetCount, v);
            if (r == 100) return 0; // CUDA_ERROR_NO_DEVICE
            check(r, "cuDeviceGetCount");
            return v.get(JAVA_INT, 0);
        }
    }

    public static int device(int ordinal) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(invoke(cuDeviceGet, v, ordinal), "cuDeviceGet(" + ordinal + ")");
            return v.get(JAVA_INT, 0);
        }
    }

    public static String deviceName(int device) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(256);
            check(invoke(cuDeviceGetName, s, 256, device), "cuDeviceGetName");
            return s.getString(0);
        }
    }

    /** A {@code CUdevice_attribute} value (e.g. 16 = multiprocessor count, 75/76 = compute capability major/minor). */
    public static int attribute(int device, int attribute) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(invoke(cuDeviceGetAttribute, v, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return v.get(JAVA_INT, 0);
        }
    }

    public static long totalMemory(int device) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuDeviceTotalMem, v, device), "cuDeviceTotalMem");
            return v.get(JAVA_LONG, 0);
        }
    }

    /** The device's primary context (the one the CUDA runtime and PyTorch share). */
    public static long primaryContext(int device) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuDevicePrimaryCtxRetain, v, device), "cuDevicePrimaryCtxRetain");
            return v.get(JAVA_LONG, 0);
        }
    }

    public static void setCurrentContext(long ctx) {
        ensure();
        check(invoke(cuCtxSetCurrent, ctx), "cuCtxSetCurrent");
    }

    public static void contextSynchronize() {
        check(invoke(cuCtxSynchronize), "cuCtxSynchronize");
    }

    /** {free, total} bytes of the current context's device. */
    public static long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG), t = a.allocate(JAVA_LONG);
            check(invoke(cuMemGetInfo, f, t), "cuMemGetInfo");
            return new long[] {f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        }
    }

    // ------------------------------------------------------------------ memory

    /** Device memory, or the driver's result code as a negative number when it fails (for out-of-memory retries). */
    public static long memAllocOrError(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            int r = invoke(cuMemAlloc, v, bytes);
            return r == 0 ? v.get(JAVA_LONG, 0) : -r;
        }
    }

    public static void memFree(long ptr) {
        check(invoke(cuMemFree, ptr), "cuMemFree");
    }

    /** Page-locked host memory (fast, asynchronous copies). */
    public static long memAllocHost(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ADDRESS);
            check(invoke(cuMemAllocHost, v, bytes), "cuMemAllocHost(" + bytes + " bytes)");
            return v.get(ADDRESS, 0).address();
        }
    }

    public static void memFreeHost(long ptr) {
        check(invoke(cuMemFreeHost, ptr), "cuMemFreeHost");
    }

    // The calls made for every tensor (zero fills, copies) use exact invocations: no boxing on the hot path.
    private static int exact4(MethodHandle h, long a, long b, long c, long d) {
        try {
            return (int) h.invokeExact(a, b, c, d);
        } catch (Throwable t) {
            throw new CudaException("CUDA driver call failed: " + t, t);
        }
    }

    public static void copyHostToDevice(long dst, long hostSrc, long bytes, long stream) {
        int r = exact4(cuMemcpyHtoDAsync, dst, hostSrc, bytes, stream);
        if (r != 0) check(r, "cuMemcpyHtoDAsync(" + bytes + " bytes)");
    }

    public static void copyDeviceToHost(long hostDst, long src, long bytes, long stream) {
        int r = exact4(cuMemcpyDtoHAsync, hostDst, src, bytes, stream);
        if (r != 0) check(r, "cuMemcpyDtoHAsync(" + bytes + " bytes)");
    }

    public static void copyDeviceToDevice(long dst, long src, long bytes, long stream) {
        int r = exact4(cuMemcpyDtoDAsync, dst, src, bytes, stream);
        if (r != 0) check(r, "cuMemcpyDtoDAsync(" + bytes + " bytes)");
    }

    public static void memsetBytes(long dst, byte value, long count, long stream) {
        int r;
        try {
            r = (int) cuMemsetD8Async.invokeExact(dst, value, count, stream);
        } catch (Throwable t) {
            throw new CudaException("CUDA driver call failed: " + t, t);
        }
        if (r != 0) check(r, "cuMemsetD8Async");
    }

    public static void memsetInts(long dst, int value, long count, long stream) {
        check(invoke(cuMemsetD32Async, dst, value, count, stream), "cuMemsetD32Async");
    }

    // ------------------------------------------------------------------ streams and events

    public static long streamCreate() {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuStreamCreate, v, 0), "cuStreamCreate");
            return v.get(JAVA_LONG, 0);
        }
    }

    public static void streamSynchronize(long stream) {
        int r;
        try {
            r = (int) cuStreamSynchronize.invokeExact(stream);
        } catch (Throwable t) {
            throw new CudaException("CUDA driver call failed: " + t, t);
        }
        if (r != 0) check(r, "cuStreamSynchronize");
    }

    public static void streamDestroy(long stream) {
        check(invoke(cuStreamDestroy, stream), "cuStreamDestroy");
    }

    public static void streamWaitEvent(long stream, long event) {
        check(invoke(cuStreamWaitEvent, stream, event, 0), "cuStreamWaitEvent");
    }

    public static long eventCreate() {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuEventCreate, v, 0), "cuEventCreate");
            return v.get(JAVA_LONG, 0);
        }
    }

    public static void eventRecord(long event, long stream) {
        check(invoke(cuEventRecord, event, stream), "cuEventRecord");
    }

    public static void eventSynchronize(long event) {
        check(invoke(cuEventSynchronize, event), "cuEventSynchronize");
    }

    /** Milliseconds between two recorded events. */
    public static float eventElapsedMillis(long start, long end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_FLOAT);
            check(invoke(cuEventElapsedTime, v, start, end), "cuEventElapsedTime");
            return v.get(JAVA_FLOAT, 0);
        }
    }

    public static void eventDestroy(long event) {
        check(invoke(cuEventDestroy, event), "cuEventDestroy");
    }

    // ------------------------------------------------------------------ modules and launches

    /** Loads a CUBIN or PTX image (PTX is compiled by the driver for the current device). */
    public static long moduleLoad(byte[] image, String what) {
        ensure();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(image.length + 1L);
            MemorySegment.copy(image, 0, img, JAVA_BYTE, 0, image.length);
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuModuleLoadData, v, img), "cuModuleLoadData(" + what + ")");
            return v.get(JAVA_LONG, 0);
        }
    }

    public static long moduleFunction(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuModuleGetFunction, v, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return v.get(JAVA_LONG, 0);
        }
    }

    /** Launches {@code function}; {@code params} is the {@code void**} array of argument addresses. */
    public static void launch(long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream,
                              MemorySegment params, String name) {
        int r;
        try {
            r = (int) cuLaunchKernel.invokeExact(function, gx, gy, gz, bx, by, bz, sharedBytes, stream, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new CudaException("cuLaunchKernel(" + name + ") failed: " + t, t);
        }
        if (r != 0) check(r, "cuLaunchKernel(" + name + ", grid " + gx + "x" + gy + "x" + gz + ", block " + bx + "x" + by + "x" + bz + ")");
    }
}

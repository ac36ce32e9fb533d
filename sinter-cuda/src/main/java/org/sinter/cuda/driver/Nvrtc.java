package org.sinter.cuda.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * NVRTC, NVIDIA's run-time compiler: CUDA C source in, a CUBIN for the device out (PTX when the
 * library cannot target the device's architecture directly). A failed compilation throws with
 * the compiler's log, which names the line.
 */
public final class Nvrtc {
    public static final NativeLibrary LIBRARY = NativeLibrary.find("NVRTC (libnvrtc)", "sinter.cuda.nvrtc",
            List.of("libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"), "cuda_nvrtc");

    private static MethodHandle create, compile, destroy, logSize, log, cubinSize, cubin, ptxSize, ptx, version, errorString;

    private Nvrtc() {}

    private static synchronized void bind() {
        if (create != null) return;
        NativeLibrary l = LIBRARY;
        l.require();
        version = l.function("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        destroy = l.function("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        compile = l.function("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS));
        logSize = l.function("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        log = l.function("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        cubinSize = l.optionalFunction("nvrtcGetCUBINSize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        cubin = l.optionalFunction("nvrtcGetCUBIN", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        ptxSize = l.function("nvrtcGetPTXSize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        ptx = l.function("nvrtcGetPTX", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        errorString = l.function("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        create = l.function("nvrtcCreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static boolean isAvailable() { return LIBRARY.isAvailable(); }

    /** {major, minor} of the NVRTC library. */
    public static int[] version() {
        bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ma = a.allocate(JAVA_INT), mi = a.allocate(JAVA_INT);
            check((int) call(version, ma, mi), "nvrtcVersion");
            return new int[] {ma.get(JAVA_INT, 0), mi.get(JAVA_INT, 0)};
        }
    }

    /** The compiled image and whether it is a CUBIN (else PTX text, NUL-terminated). */
    public record Image(byte[] bytes, boolean cubin, String log) {}

    /**
     * Compiles {@code source} (named {@code name} in messages) for compute capability
     * {@code major.minor}: a CUBIN with {@code -arch=sm_XY}; PTX for {@code compute_XY} when this
     * NVRTC does not know the device (the driver then compiles it).
     */
    public static Image compile(String name, String source, int major, int minor, List<String> extraOptions) {
        bind();
        try {
            return compileFor(name, source, "sm_" + major + minor, extraOptions, true);
        } catch (CudaException e) {
            if (!e.getMessage().contains("NVRTC_ERROR_INVALID_OPTION") && !e.getMessage().contains("invalid value for --gpu-architecture")) throw e;
            return compileFor(name, source, "compute_" + major + minor, extraOptions, false);
        }
    }

    private static Image compileFor(String name, String source, String arch, List<String> extraOptions, boolean wantCubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(JAVA_LONG);
            check((int) call(create, prog, a.allocateFrom(source), a.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL),
                    "nvrtcCreateProgram(" + name + ")");
            long p = prog.get(JAVA_LONG, 0);
            try {
                List<String> opts = new java.util.ArrayList<>(List.of("--gpu-architecture=" + arch, "--std=c++17", "-default-device"));
                opts.addAll(extraOptions);
                MemorySegment argv = a.allocate(ADDRESS, opts.size());
                for (int i = 0; i < opts.size(); i++) argv.setAtIndex(ADDRESS, i, a.allocateFrom(opts.get(i)));
                int r = (int) call(compile, p, opts.size(), argv);
                String text = programLog(a, p);
                if (r != 0) {
                    throw new CudaException("NVRTC could not compile " + name + " for " + arch + ": " + errorName(r) + "\n" + text);
                }
                boolean asCubin = wantCubin && cubin != null;
                MemorySegment size = a.allocate(JAVA_LONG);
                check((int) call(asCubin ? cubinSize : ptxSize, p, size), "nvrtcGet" + (asCubin ? "CUBIN" : "PTX") + "Size");
                MemorySegment out = a.allocate(size.get(JAVA_LONG, 0));
                check((int) call(asCubin ? cubin : ptx, p, out), "nvrtcGet" + (asCubin ? "CUBIN" : "PTX"));
                return new Image(out.toArray(JAVA_BYTE), asCubin, text);
            } finally {
                MemorySegment pp = a.allocate(JAVA_LONG);
                pp.set(JAVA_LONG, 0, p);
                call(destroy, pp);
            }
        }
    }

    private static String programLog(Arena a, long p) {
        MemorySegment n = a.allocate(JAVA_LONG);
        if ((int) call(logSize, p, n) != 0 || n.get(JAVA_LONG, 0) <= 1) return "";
        MemorySegment s = a.allocate(n.get(JAVA_LONG, 0));
        if ((int) call(log, p, s) != 0) return "";
        return s.getString(0);
    }

    @SuppressWarnings("restricted") // the driver returns a C string of unknown length
    private static String errorName(int code) {
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(code);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "NVRTC error " + code;
        }
    }

    private static void check(int r, String what) {
        if (r != 0) throw new CudaException(what + " failed: " + errorName(r));
    }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CudaException("NVRTC call failed: " + t, t);
        }
    }
}

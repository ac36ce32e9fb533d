package org.sinter.kernels.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sinter.kernels.Parallel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The system OpenBLAS, called through the FFM API: {@code cblas_sgemm}/{@code cblas_dgemm} on Java
 * heap arrays, without copying them (critical downcalls may take heap segments). Nothing is bundled:
 * the library is found at run time, and {@link #isAvailable()} is simply false when it is absent.
 *
 * <p>Search order: the system property {@code sinter.openblas.library} (a path), then
 * {@code libopenblas.so.0} and {@code libopenblas.so} by name (the dynamic loader's own search,
 * {@code LD_LIBRARY_PATH} included), then in each {@code LD_LIBRARY_PATH} directory and the usual
 * library directories; a {@code libblas.so.3} is accepted only when it is OpenBLAS itself (it
 * exports {@code openblas_set_num_threads}), since the reference BLAS would be slow and its thread
 * count could not be set.
 *
 * <p>Critical downcalls hold off the garbage collector while OpenBLAS runs, so a very large product
 * delays other threads' collections by its own duration. OpenBLAS's thread count follows
 * {@link Parallel#numThreads()}.
 */
public final class OpenBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private static final MethodHandle SGEMM, DGEMM, SET_THREADS;
    private static final String LOADED;
    private static final String SEARCHED;
    private static volatile int threadsSet = -1;

    static {
        List<String> searched = new ArrayList<>();
        MethodHandle s = null, d = null, t = null;
        String loaded = null;
        for (String cand : candidates()) {
            searched.add(cand);
            Optional<SymbolLookup> lib = open(cand);
            if (lib.isEmpty()) continue;
            SymbolLookup l = lib.get();
            Optional<MemorySegment> sg = l.find("cblas_sgemm"), dg = l.find("cblas_dgemm"),
                    st = l.find("openblas_set_num_threads");
            if (sg.isEmpty() || dg.isEmpty() || st.isEmpty()) continue;
            Linker.Option critical = Linker.Option.critical(true);
            s = downcall(sg.get(), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), critical);
            d = downcall(dg.get(), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT), critical);
            t = downcall(st.get(), FunctionDescriptor.ofVoid(JAVA_INT));
            loaded = cand;
            break;
        }
        SGEMM = s;
        DGEMM = d;
        SET_THREADS = t;
        LOADED = loaded;
        SEARCHED = String.join(", ", searched);
    }

    private OpenBlas() {}

    private static Set<String> candidates() {
        Set<String> c = new LinkedHashSet<>();
        String explicit = System.getProperty("sinter.openblas.library");
        if (explicit != null && !explicit.isBlank()) c.add(explicit);
        c.add("libopenblas.so.0");
        c.add("libopenblas.so");
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String dir : ld.split(":")) if (!dir.isBlank()) dirs.add(dir);
        dirs.addAll(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/local/lib", "/opt/OpenBLAS/lib"));
        for (String dir : dirs) {
            for (String name : List.of("libopenblas.so.0", "libopenblas.so", "libblas.so.3")) {
                Path p = Path.of(dir, name);
                if (Files.exists(p)) c.add(p.toString());
            }
        }
        return c;
    }

    // Loading a native library and binding its functions are restricted FFM operations (javac's
    // "restricted" lint); they are this class's purpose, so the two methods that do them allow them.
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(MemorySegment symbol, FunctionDescriptor signature, Linker.Option... options) {
        return Linker.nativeLinker().downcallHandle(symbol, signature, options);
    }

    @SuppressWarnings("restricted")
    private static Optional<SymbolLookup> open(String nameOrPath) {
        try {
            return Optional.of(nameOrPath.contains("/")
                    ? SymbolLookup.libraryLookup(Path.of(nameOrPath), Arena.global())
                    : SymbolLookup.libraryLookup(nameOrPath, Arena.global()));
        } catch (RuntimeException e) {
            // Missing file, or not loadable on this platform: try the next candidate.
            return Optional.empty();
        }
    }

    /** True when an OpenBLAS library was found and bound; never throws. */
    public static boolean isAvailable() {
        return SGEMM != null;
    }

    /** The library that was loaded, or null when none was. */
    public static String libraryName() {
        return LOADED;
    }

    /** Throws a clear {@link IllegalStateException} when OpenBLAS is not available. */
    static void requireAvailable() {
        if (!isAvailable())
            throw new IllegalStateException("OpenBLAS is not available: no loadable library exporting cblas_sgemm, cblas_dgemm"
                    + " and openblas_set_num_threads among [" + SEARCHED + "]. Install it (Debian: apt-get install"
                    + " libopenblas0-pthread) or set -Dsinter.openblas.library=/path/to/libopenblas.so.0");
    }

    /** {@code cblas_sgemm} in row-major order; same arguments and checks as {@link Sgemm#sgemm}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        requireAvailable();
        GemmArgs.check("sgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        syncThreads();
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a).asSlice(4L * aOff), lda, MemorySegment.ofArray(b).asSlice(4L * bOff), ldb,
                    beta, MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** {@code cblas_dgemm} in row-major order; same arguments and checks as {@link Dgemm#dgemm}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        requireAvailable();
        GemmArgs.check("dgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        syncThreads();
        try {
            DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a).asSlice(8L * aOff), lda, MemorySegment.ofArray(b).asSlice(8L * bOff), ldb,
                    beta, MemorySegment.ofArray(c).asSlice(8L * cOff), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed", e);
        }
    }

    /** Keeps OpenBLAS's own pool at Sinter's thread count (one cheap volatile read per call). */
    private static void syncThreads() {
        int want = Parallel.numThreads();
        if (threadsSet != want) {
            synchronized (OpenBlas.class) {
                if (threadsSet != want) {
                    try {
                        SET_THREADS.invokeExact(want);
                    } catch (Throwable e) {
                        throw new IllegalStateException("openblas_set_num_threads failed", e);
                    }
                    threadsSet = want;
                }
            }
        }
    }
}

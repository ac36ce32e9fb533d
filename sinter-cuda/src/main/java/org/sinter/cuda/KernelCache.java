package org.sinter.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.cuda.driver.CudaException;
import org.sinter.cuda.driver.Driver;
import org.sinter.cuda.driver.Nvrtc;
import org.sinter.io.AtomicFiles;

/**
 * Compiled kernels of one device: CUDA C sources (the files under {@code org/sinter/cuda/kernels}
 * in this module's resources, and sources generated at run time) compiled once by NVRTC for the
 * device's architecture, loaded as modules, their functions looked up by name and kept.
 *
 * <p>Compiled images are also kept on disk, named by a hash of the source, the architecture and
 * the NVRTC version (under {@code -Dsinter.cuda.cache}, default {@code ~/.cache/sinter/cuda};
 * {@code off} disables it): NVRTC takes tens to hundreds of milliseconds per module, which a
 * training run's first steps would otherwise pay every time (14 s for the Lab 1 CNN's 27 modules
 * on a fresh H100 machine).
 */
public final class KernelCache {
    /** A loaded kernel: the function handle and its name (for messages). */
    public record Kernel(long function, String name) {}

    private final CudaDevice device;
    private final ConcurrentHashMap<String, Long> modules = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Kernel> functions = new ConcurrentHashMap<>();
    /** Generated kernels by (source, name): the source strings are the generators' cached instances, so look-ups hash nothing new. */
    private final ConcurrentHashMap<GeneratedKey, Kernel> generatedFunctions = new ConcurrentHashMap<>();

    private record GeneratedKey(String source, String name) {}
    private volatile long compileNanos;
    private volatile int compiled;

    KernelCache(CudaDevice device) {
        this.device = device;
    }

    /** Kernel {@code name} of resource file {@code file} (e.g. "sgemm.cu"). */
    public Kernel resource(String file, String name) {
        String key = "res:" + file + ":" + name;
        Kernel k = functions.get(key);
        if (k != null) return k;
        long module = modules.computeIfAbsent("res:" + file, f -> load(file, readResource(file)));
        return functions.computeIfAbsent(key, n -> new Kernel(lookup(module, name), name));
    }

    /** Kernel {@code name} of a generated {@code source}; sources are cached by their text. */
    public Kernel generated(String what, String source, String name) {
        GeneratedKey key = new GeneratedKey(source, name);
        Kernel k = generatedFunctions.get(key);
        if (k != null) return k;
        long module = modules.computeIfAbsent(source, s -> load(what, s));
        return generatedFunctions.computeIfAbsent(key, n -> new Kernel(lookup(module, name), name));
    }

    private long lookup(long module, String name) {
        device.makeCurrent();
        return Driver.moduleFunction(module, name);
    }

    private long load(String what, String source) {
        long t0 = System.nanoTime();
        int[] cc = device.computeCapability();
        int[] nv = Nvrtc.version();
        String id = hash(source + "\u0000sm_" + cc[0] + cc[1] + "\u0000nvrtc " + nv[0] + "." + nv[1]);
        byte[] cached = readCache(id);
        long module = 0;
        if (cached != null) {
            device.makeCurrent();
            try {
                module = Driver.moduleLoad(cached, what);
            } catch (CudaException e) {
                module = 0; // a damaged or stale cache entry: compile again (and replace it)
            }
        }
        if (module == 0) {
            Nvrtc.Image image = Nvrtc.compile(what, source, cc[0], cc[1], List.of());
            byte[] bytes = image.bytes();
            if (!image.cubin() && (bytes.length == 0 || bytes[bytes.length - 1] != 0)) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1); // PTX text must be NUL-terminated
            }
            device.makeCurrent();
            module = Driver.moduleLoad(bytes, what);
            writeCache(id, bytes);
        }
        compileNanos += System.nanoTime() - t0;
        compiled++;
        return module;
    }

    private static Path cacheDir() {
        String dir = System.getProperty("sinter.cuda.cache");
        if ("off".equals(dir)) return null;
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "sinter", "cuda");
    }

    private static byte[] readCache(String id) {
        Path dir = cacheDir();
        if (dir == null) return null;
        Path p = dir.resolve(id + ".bin");
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            return null; // an unreadable entry is compiled again
        }
    }

    private static void writeCache(String id, byte[] image) {
        Path dir = cacheDir();
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(id + ".bin"), image);
        } catch (IOException e) {
            System.err.println("sinter: warning: cannot cache a CUDA kernel in " + dir + ": " + e.getMessage());
        }
    }

    private static String hash(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The text of a kernel source file in this module's resources. */
    public static String readResource(String file) {
        try (InputStream in = KernelCache.class.getResourceAsStream("kernels/" + file)) {
            if (in == null) throw new CudaException("kernel source org/sinter/cuda/kernels/" + file + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CudaException("cannot read kernel source " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many modules were compiled, and the seconds spent compiling and loading them. */
    public String compileStats() {
        return compiled + " modules compiled in " + String.format("%.2f s", compileNanos / 1e9);
    }
}

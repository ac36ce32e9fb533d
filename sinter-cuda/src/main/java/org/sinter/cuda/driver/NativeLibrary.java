package org.sinter.cuda.driver;

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
import java.util.stream.Stream;

/**
 * One NVIDIA shared library found at run time (nothing is bundled, nothing is built): the first
 * loadable candidate among an explicit path (a system property), the dynamic loader's own search
 * by name ({@code LD_LIBRARY_PATH} included), and the usual CUDA directories ({@code CUDA_HOME},
 * {@code /usr/local/cuda}, Python wheels' {@code site-packages/nvidia/<lib>/lib}). When none loads,
 * {@link #require} says what was searched.
 */
public final class NativeLibrary {
    private final String what;
    private final SymbolLookup lookup;
    private final String loaded;
    private final String searched;

    private NativeLibrary(String what, SymbolLookup lookup, String loaded, String searched) {
        this.what = what;
        this.lookup = lookup;
        this.loaded = loaded;
        this.searched = searched;
    }

    /**
     * Finds {@code what} (e.g. "NVRTC"): {@code property} names a system property holding a path;
     * {@code names} are file names such as {@code libnvrtc.so.13}, tried in order; {@code wheelDir}
     * is the folder under {@code site-packages/nvidia} of the pip wheel that ships it (or null).
     */
    static NativeLibrary find(String what, String property, List<String> names, String wheelDir) {
        List<String> tried = new ArrayList<>();
        for (String cand : candidates(property, names, wheelDir)) {
            tried.add(cand);
            Optional<SymbolLookup> lib = open(cand);
            if (lib.isPresent()) return new NativeLibrary(what, lib.get(), cand, String.join(", ", tried));
        }
        return new NativeLibrary(what, null, null, String.join(", ", tried));
    }

    private static Set<String> candidates(String property, List<String> names, String wheelDir) {
        Set<String> c = new LinkedHashSet<>();
        String explicit = System.getProperty(property);
        if (explicit != null && !explicit.isBlank()) c.add(explicit);
        c.addAll(names);
        List<Path> dirs = new ArrayList<>();
        for (String env : List.of("LD_LIBRARY_PATH", "SINTER_CUDA_LIBS")) {
            String v = System.getenv(env);
            if (v != null) for (String d : v.split(":")) if (!d.isBlank()) dirs.add(Path.of(d));
        }
        for (String env : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                dirs.add(Path.of(v, "lib64"));
                dirs.add(Path.of(v, "lib"));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda/lib"),
                Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/local/nvidia/lib64")));
        if (wheelDir != null) dirs.addAll(wheelDirs(wheelDir));
        for (Path dir : dirs) {
            for (String name : names) {
                Path p = dir.resolve(name);
                if (Files.exists(p)) c.add(p.toString());
            }
        }
        return c;
    }

    /** {@code <prefix>/lib/python3.X/site-packages/nvidia/<wheelDir>/lib} under the usual prefixes and virtual environments. */
    private static List<Path> wheelDirs(String wheelDir) {
        List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/local/lib"), Path.of("/usr/lib")));
        try (Stream<Path> opt = Files.isDirectory(Path.of("/opt")) ? Files.list(Path.of("/opt")) : Stream.empty()) {
            opt.forEach(p -> roots.add(p.resolve(".venv/lib")));
        } catch (java.io.IOException | RuntimeException e) {
            // An unreadable /opt only narrows the search.
        }
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> pys = Files.list(root)) {
                pys.filter(p -> p.getFileName().toString().startsWith("python3")).forEach(py -> {
                    for (String site : List.of("site-packages", "dist-packages")) {
                        out.add(py.resolve(site).resolve("nvidia").resolve(wheelDir).resolve("lib"));
                        out.add(py.resolve(site).resolve("nvidia").resolve("cu13").resolve("lib"));
                    }
                });
            } catch (java.io.IOException | RuntimeException e) {
                // As above.
            }
        }
        return out;
    }

    @SuppressWarnings("restricted") // loading a native library is this class's purpose
    private static Optional<SymbolLookup> open(String nameOrPath) {
        try {
            return Optional.of(nameOrPath.contains("/")
                    ? SymbolLookup.libraryLookup(Path.of(nameOrPath), Arena.global())
                    : SymbolLookup.libraryLookup(nameOrPath, Arena.global()));
        } catch (RuntimeException e) {
            return Optional.empty(); // missing or not loadable here: the next candidate
        }
    }

    public boolean isAvailable() { return lookup != null; }

    /** The path or name that loaded, or null. */
    public String loaded() { return loaded; }

    /** Throws a clear error when the library was not found. */
    public void require() {
        if (lookup == null) throw new CudaException(what + " is not available: no loadable library among " + searched);
    }

    /** A downcall handle for {@code symbol}; a clear error when the library or the symbol is missing. */
    @SuppressWarnings("restricted") // binding native functions is this class's purpose
    public MethodHandle function(String symbol, FunctionDescriptor signature) {
        require();
        MemorySegment address = lookup.find(symbol)
                .orElseThrow(() -> new CudaException(what + " (" + loaded + ") has no function " + symbol + ": the library is too old"));
        return Linker.nativeLinker().downcallHandle(address, signature);
    }

    /** Like {@link #function} but null when the symbol is absent (optional entry points). */
    public MethodHandle optionalFunction(String symbol, FunctionDescriptor signature) {
        if (lookup == null || lookup.find(symbol).isEmpty()) return null;
        return function(symbol, signature);
    }
}

package org.sinter.compiler.codegen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.sinter.io.AtomicFiles;

/**
 * Turns generated kernel sources into loaded classes with the JDK's in-process compiler
 * ({@code javax.tools}), all kernels of one graph in one compilation. Kernels are cached by a hash
 * of their source: in memory, and as class files on disk (under {@code -Dsinter.compiler.cache},
 * default {@code ~/.cache/sinter/kernels/<java version>}), so a second process loads them without
 * compiling. {@code -Dsinter.compiler.dump=DIR} writes every generated source there, readable.
 */
public final class KernelCompiler {
    private static final Map<String, FusedKernel> LOADED = new ConcurrentHashMap<>();
    private static final KernelLoader LOADER = new KernelLoader(KernelCompiler.class.getClassLoader());
    private static volatile Stats stats = new Stats(0, 0, 0, 0);

    private KernelCompiler() {}

    /** Counts since start: kernels compiled, loaded from disk, served from memory, and nanoseconds spent in javac. */
    public record Stats(int compiled, int fromDisk, int fromMemory, long compileNanos) {}

    public static Stats stats() {
        return stats;
    }

    /** A class name for {@code source} (written with the placeholder class name {@code KERNEL}): a hash of it. */
    public static String className(String templateSource) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(templateSource.getBytes(StandardCharsets.UTF_8));
            return "Fused_" + HexFormat.of().formatHex(h, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads every kernel (class name → source), compiling those found neither in memory nor on disk. */
    public static synchronized Map<String, FusedKernel> load(Map<String, String> sources) {
        Map<String, FusedKernel> out = new LinkedHashMap<>();
        Map<String, String> toCompile = new LinkedHashMap<>();
        int memory = 0, disk = 0;
        for (var e : sources.entrySet()) {
            dump(e.getKey(), e.getValue());
            FusedKernel k = LOADED.get(e.getKey());
            if (k != null) {
                memory++;
                out.put(e.getKey(), k);
                continue;
            }
            byte[] cached = readCache(e.getKey());
            if (cached != null) {
                disk++;
                out.put(e.getKey(), define(e.getKey(), cached));
            } else {
                toCompile.put(e.getKey(), e.getValue());
            }
        }
        long t0 = System.nanoTime();
        if (!toCompile.isEmpty()) {
            Map<String, byte[]> classes = compile(toCompile);
            for (String name : toCompile.keySet()) {
                byte[] bytes = classes.get(KernelWriter.PACKAGE + "." + name);
                writeCache(name, bytes);
                out.put(name, define(name, bytes));
            }
        }
        Stats s = stats;
        stats = new Stats(s.compiled() + toCompile.size(), s.fromDisk() + disk, s.fromMemory() + memory,
                s.compileNanos() + (toCompile.isEmpty() ? 0 : System.nanoTime() - t0));
        return out;
    }

    private static FusedKernel define(String name, byte[] bytes) {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                Class<?> c = LOADER.define(KernelWriter.PACKAGE + "." + n, bytes);
                return (FusedKernel) c.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("compiler: cannot load generated kernel " + n + ": " + e, e);
            }
        });
    }

    private static Map<String, byte[]> compile(Map<String, String> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("compiler: no Java compiler in this runtime (" + System.getProperty("java.home")
                    + "); fused kernels need a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
        var fm = new ForwardingJavaFileManager<StandardJavaFileManager>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        for (var e : sources.entrySet()) {
            String path = KernelWriter.PACKAGE.replace('.', '/') + "/" + e.getKey() + ".java";
            units.add(new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return e.getValue();
                }
            });
        }
        List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-classpath", classPath(), "-proc:none", "-nowarn", "-XDsuppressNotes");
        boolean ok = javac.getTask(null, fm, diagnostics, options, null, units).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder("compiler: javac rejected generated kernels (a compiler bug):");
            diagnostics.getDiagnostics().forEach(d -> sb.append("\n  ").append(d));
            throw new IllegalStateException(sb.toString());
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        classes.forEach((k, v) -> out.put(k, v.toByteArray()));
        return out;
    }

    /** The class path javac resolves the kernels' imports against (surefire passes it in its own property). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    private static Path cacheDir() {
        String dir = System.getProperty("sinter.compiler.cache");
        Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "sinter", "kernels");
        return base.resolve("java-" + Runtime.version().feature());
    }

    private static byte[] readCache(String name) {
        Path p = cacheDir().resolve(name + ".class");
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            return null; // an unreadable cache entry is recompiled
        }
    }

    private static void writeCache(String name, byte[] bytes) {
        try {
            Path dir = cacheDir();
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(name + ".class"), bytes);
        } catch (IOException e) {
            System.err.println("sinter: warning: cannot cache kernel " + name + " in " + cacheDir() + ": " + e.getMessage());
        }
    }

    private static void dump(String name, String source) {
        String dir = System.getProperty("sinter.compiler.dump");
        if (dir == null) return;
        try {
            Path d = Path.of(dir);
            Files.createDirectories(d);
            AtomicFiles.write(d.resolve(name + ".java"), source.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("sinter: warning: cannot dump kernel " + name + " to " + dir + ": " + e.getMessage());
        }
    }

    /** Defines kernel classes next to the compiler's classes (they implement its {@link FusedKernel}). */
    private static final class KernelLoader extends ClassLoader {
        KernelLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}

package org.sinter.rl.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server in a child JVM (this JVM's java and class path): it binds a loopback port, says so on
 * its first output line ({@code port N}), and lives until its standard input ends. The parent
 * holds that input open, so the child goes away when the parent closes it, and also when the
 * parent dies however it dies (the pipe closes with it). A random token travels in the child's
 * environment; the child's server admits only clients that present it. The rest of the child's
 * output goes to a temporary log, whose end is quoted when the child fails.
 */
public final class ChildJvm implements AutoCloseable {
    /** The environment variable that carries the token to the child. */
    public static final String TOKEN_ENV = "SINTER_RL_CHILD_TOKEN";
    private static final String PORT_LINE = "port ";

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final String token;

    private ChildJvm(String name, Process process, Path log, int port, String token) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.token = token;
    }

    /** The command line that runs {@code mainClass} with {@code args} in a JVM like this one. */
    static List<String> command(Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code mainClass} (which calls {@link #serveUntilParentExits}) and waits up to {@code timeout} for its port. */
    public static ChildJvm start(String name, Class<?> mainClass, List<String> args, Duration timeout) throws IOException {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path log = Files.createTempFile("sinter-rl-child-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command(mainClass, args)).redirectError(log.toFile());
        pb.environment().put(TOKEN_ENV, token);
        Process process = pb.start();
        ChildJvm child = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String line;
            try {
                line = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException(name + " (pid " + process.pid() + ") did not announce its port within " + timeout.toSeconds() + " s; " + tail(log));
            } catch (InterruptedException | ExecutionException e) {
                throw new IOException(name + ": interrupted while waiting for its port", e);
            }
            if (line == null || !line.startsWith(PORT_LINE)) {
                throw new IOException(name + " (pid " + process.pid() + ") " + status(process) + " without announcing its port"
                        + (line == null ? "" : " (its first line: '" + line + "')") + "; " + tail(log));
            }
            int port;
            try {
                port = Integer.parseInt(line.substring(PORT_LINE.length()).strip());
            } catch (NumberFormatException e) {
                throw new IOException(name + ": announced port '" + line + "' is not a number");
            }
            // Drain the rest of its standard output so that the child never blocks on a full pipe.
            Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> {
                try {
                    while (out.readLine() != null) { /* discard */ }
                } catch (IOException ignored) {
                    // The child is gone.
                }
            });
            child = new ChildJvm(name, process, log, port, token);
            return child;
        } finally {
            if (child == null) {
                process.destroyForcibly();
                Files.deleteIfExists(log);
            }
        }
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's state and the end of its log, for error messages. */
    public String describe() {
        return name + " (pid " + process.pid() + ") " + status(process) + "; " + tail(log);
    }

    private static String status(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? "exited with code " + process.exitValue() : "is running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "is in an unknown state";
        }
    }

    static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "no output" : "its last output: " + text.substring(Math.max(0, text.length() - 2_000));
        } catch (IOException e) {
            return "its output could not be read (" + e.getMessage() + ")";
        }
    }

    /** Closes the child's input (its signal to exit), waits for it briefly, then ends it by force. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already closed: the child is going anyway.
        }
        reap(process, log);
    }

    /** Waits briefly for a child told to exit, then ends it by force; deletes its log. */
    static void reap(Process process, Path log) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // A temporary file left behind is harmless.
        }
    }

    /**
     * The child's side: announces {@code port} to the parent, then blocks until the parent closes
     * the child's input (or dies) and exits. Call last in the child's main, after its server is up.
     */
    public static void serveUntilParentExits(int port) {
        System.out.println(PORT_LINE + port);
        System.out.flush();
        try {
            while (System.in.read() != -1) { /* the parent writes nothing; wait for the end */ }
        } catch (IOException ignored) {
            // The pipe broke: the parent is gone.
        }
        System.exit(0);
    }

    /** The token the parent put in this child's environment; fails when the child was not started by {@link #start}. */
    public static String tokenFromEnvironment(String who) {
        String token = System.getenv(TOKEN_ENV);
        if (token == null) throw new IllegalStateException(who + ": " + TOKEN_ENV + " is not set (this process is started by its parent)");
        return token;
    }
}

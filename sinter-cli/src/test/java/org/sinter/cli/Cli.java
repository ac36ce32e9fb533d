package org.sinter.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the {@code sinter} command in-process with captured stdout and stderr; helpers to fingerprint a run directory. */
final class Cli {
    private Cli() {}

    record Result(int exit, String out, String err) {
        boolean hasStackTrace() {
            return err.lines().anyMatch(l -> l.startsWith("\tat ")) || out.lines().anyMatch(l -> l.startsWith("\tat "));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = Main.commandLine().execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A quick mlp run into {@code out}: one epoch of two steps; {@code more} adds options or overrides these. */
    static Result trainMlp(Path out, String... more) {
        Map<String, String> opts = new java.util.LinkedHashMap<>(Map.of("--model", "mlp", "--epochs", "1", "--max-steps", "2",
                "--threads", "2", "--out", out.toString()));
        java.util.List<String> flags = new java.util.ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            boolean valued = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (valued) opts.put(more[i], more[++i]);
            else flags.add(more[i]);
        }
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train"));
        opts.forEach((k, v) -> { args.add(k); args.add(v); });
        args.addAll(flags);
        return run(args.toArray(String[]::new));
    }

    /** sha256 of every file under {@code dir} (the lock file aside), by relative path. */
    static Map<String, String> fingerprint(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.getFileName().toString().equals(".lock")) continue;
                m.put(dir.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }
}

package org.sinter.learned.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Sorted 64-bit key sets for the index comparison: SOSD-style synthetic distributions (generated
 * in parallel from a seed, so 200M keys take seconds) and real key sets built from data on this
 * machine. Names, as {@code --keys} takes them:
 * <ul>
 * <li>{@code dense}: uniform integers in [0, 2n), so gaps of 0–2 and some duplicates (SOSD's dense case)</li>
 * <li>{@code sparse}: uniform over all 2^64 values, negative ones included (SOSD's uspr)</li>
 * <li>{@code normal}: N(0, 1) scaled by 10^15</li>
 * <li>{@code lognormal}: exp(N(0, 2)) scaled by 10^9, as SOSD's lognormal set</li>
 * <li>{@code duplicates}: uniform integers in [0, n/8): every key about 8 times</li>
 * <li>{@code arrivals[:DIR]}: job arrival times (µs) of the Gavel Philly-derived traces, every {@code *.trace} in DIR</li>
 * <li>{@code runtimes[:FILE]}: Philly job run times (ms) from {@code philly_runtime.csv}, heavily duplicated</li>
 * <li>{@code words[:PATH]}: 64-bit hashes of every word of the King James excerpt {@code sinter-data} bundles
 *     (Genesis to 2 Samuel), or of a text file ({@code .gz} read through gunzip) or the {@code .md} files under a directory</li>
 * </ul>
 * Real sets have the size their data gives; {@code n} caps them.
 */
public final class KeySets {
    /** Names of the synthetic sets, in the order benchmarks list them. */
    public static final List<String> SYNTHETIC = List.of("dense", "sparse", "normal", "lognormal", "duplicates");
    /** Where the shared data sits relative to the project root. */
    public static final Path SHARED_TRACES = Path.of("..", "shared", "data", "traces");

    private KeySets() {}

    /** The sorted key set a name describes (see the class comment). */
    public static long[] load(String spec, int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("key set '" + spec + "': n must be >= 0, got " + n);
        String name = spec, arg = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) { name = spec.substring(0, colon); arg = spec.substring(colon + 1); }
        long[] keys = switch (name.toLowerCase(Locale.ROOT)) {
            case "dense" -> generate(n, seed, r -> r.nextLong(Math.max(1, 2L * n)));
            case "sparse" -> generate(n, seed, SplittableRandom::nextLong);
            case "normal" -> generate(n, seed, r -> (long) (gaussian(r) * 1e15));
            case "lognormal" -> generate(n, seed, r -> (long) (Math.exp(2 * gaussian(r)) * 1e9));
            case "duplicates" -> generate(n, seed, r -> r.nextLong(Math.max(1, n / 8)));
            case "arrivals" -> cap(arrivals(Path.of(arg != null ? arg : SHARED_TRACES.resolve("gavel-msr-seed0").toString())), n);
            case "runtimes" -> cap(runtimes(Path.of(arg != null ? arg : SHARED_TRACES.resolve("philly_runtime.csv").toString())), n);
            case "words" -> cap(arg != null ? words(Path.of(arg)) : bundledWords(), n);
            default -> throw new IllegalArgumentException("unknown key set '" + spec + "': expected one of " + SYNTHETIC
                    + ", arrivals[:DIR], runtimes[:FILE], words[:PATH]");
        };
        Arrays.parallelSort(keys);
        return keys;
    }

    /** A standard normal draw (Box–Muller; SplittableRandom has no nextGaussian of its own state). */
    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private interface Draw { long next(SplittableRandom r); }

    /** n draws, generated in parallel chunks each with its own split of the seed's stream (deterministic for a seed). */
    private static long[] generate(int n, long seed, Draw draw) {
        long[] out = new long[n];
        int chunk = 1 << 20, chunks = (n + chunk - 1) / chunk;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[chunks];
        for (int c = 0; c < chunks; c++) streams[c] = root.split();
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom r = streams[c];
            for (int i = c * chunk, end = Math.min(n, i + chunk); i < end; i++) out[i] = draw.next(r);
        });
        return out;
    }

    private static long[] cap(long[] keys, int n) {
        if (keys.length <= n) return keys;
        // An evenly spaced subset keeps the distribution's shape.
        Arrays.sort(keys);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = keys[(int) ((long) i * keys.length / n)];
        return out;
    }

    /** Arrival times (field 6, seconds) of every job in the Gavel traces of a directory, in microseconds. */
    static long[] arrivals(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(requireExists(dir, "arrivals"))) {
            files = s.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("arrivals: cannot list " + dir, e);
        }
        if (files.isEmpty()) throw new IllegalArgumentException("arrivals: no .trace files in " + dir);
        List<Long> out = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = readLines(f, "arrivals");
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                String[] fields = line.split("\t");
                if (fields.length != 7) throw new IllegalArgumentException("arrivals: " + f + " line " + (i + 1) + ": expected 7 tab-separated fields, got " + fields.length);
                out.add(Math.round(parse(fields[5], f, i, "arrival_time") * 1e6));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Run times (seconds, one per line after the {@code runtime} header) in milliseconds. */
    static long[] runtimes(Path file) {
        List<String> lines = readLines(requireExists(file, "runtimes"), "runtimes");
        if (lines.isEmpty() || !lines.get(0).trim().equals("runtime")) throw new IllegalArgumentException("runtimes: " + file + ": expected the header 'runtime'");
        return IntStream.range(1, lines.size()).filter(i -> !lines.get(i).isBlank())
                .mapToLong(i -> Math.round(parse(lines.get(i), file, i, "runtime") * 1e3)).toArray();
    }

    /** The classpath resource of sinter-data's bundled text. */
    static final String BUNDLED_TEXT = "/org/sinter/data/text/kjv-genesis-2samuel.txt.gz";

    static long[] bundledWords() {
        try (java.io.InputStream raw = KeySets.class.getResourceAsStream(BUNDLED_TEXT)) {
            if (raw == null) throw new IllegalStateException("words: the bundled text " + BUNDLED_TEXT + " is not on the class path (sinter-data)");
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(raw), StandardCharsets.UTF_8))) {
                List<Long> out = new ArrayList<>();
                r.lines().forEach(line -> hashWords(line, out));
                return out.stream().mapToLong(Long::longValue).toArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("words: cannot read the bundled text " + BUNDLED_TEXT, e);
        }
    }

    private static void hashWords(String line, List<Long> out) {
        for (String w : line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) out.add(hash(w));
        }
    }

    /** A 64-bit hash of every word (letters and digits, lower-cased) of a text file or of the .md files under a directory. */
    static long[] words(Path path) {
        requireExists(path, "words");
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("words: cannot list " + path, e);
            }
        } else {
            files = List.of(path);
        }
        List<Long> out = new ArrayList<>();
        for (Path f : files) {
            for (String line : readLines(f, "words")) hashWords(line, out);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("words: no words in " + path);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** FNV-1a over the UTF-8 bytes, then a SplitMix64 finaliser so that similar words spread over all 64 bits. */
    static long hash(String word) {
        long h = 0xcbf29ce484222325L;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) { h ^= b & 0xff; h *= 0x100000001b3L; }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static double parse(String s, Path f, int line, String field) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(f + " line " + (line + 1) + ": field " + field + " is not a number: '" + s.trim() + "'");
        }
    }

    private static Path requireExists(Path p, String what) {
        if (!Files.exists(p)) throw new IllegalArgumentException(what + ": " + p + " does not exist");
        return p;
    }

    private static List<String> readLines(Path f, String what) {
        try {
            if (f.toString().endsWith(".gz")) {
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                        new java.util.zip.GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                    return r.lines().toList();
                }
            }
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read " + f, e);
        }
    }
}

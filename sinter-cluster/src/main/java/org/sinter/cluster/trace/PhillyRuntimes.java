package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code philly_runtime.csv}: Philly job run times in seconds, one per line after the header
 * {@code runtime} (83,154 of them, from Alibaba's cluster-trace-gpu-v2020 analysis). Durations only:
 * {@link PoissonWorkload} adds arrivals and GPU counts. Zero run times (jobs that failed at once)
 * are skipped and counted.
 */
public final class PhillyRuntimes {
    private PhillyRuntimes() {}

    /** Durations in file order, where each came from, and how many zero rows were skipped. */
    public record Loaded(double[] durations, String[] origins, int skipped) {
        /**
         * The first {@code n} after a seeded shuffle. The published file is sorted by run time, so its
         * order must not become the arrival order (FIFO would be SJF), nor a prefix the sample.
         */
        public Loaded shuffledSample(int n, long seed) {
            double[] d = durations.clone();
            String[] o = origins.clone();
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            for (int i = d.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                double t = d[i]; d[i] = d[j]; d[j] = t;
                String u = o[i]; o[i] = o[j]; o[j] = u;
            }
            int k = Math.min(n, d.length);
            return new Loaded(Arrays.copyOf(d, k), Arrays.copyOf(o, k), skipped);
        }
    }

    /** Reads at most {@code limit} positive run times (all with {@code Integer.MAX_VALUE}). */
    public static Loaded read(Path file, int limit) throws IOException {
        double[] ds = new double[1024];
        String[] origins = new String[1024];
        int n = 0, skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null || !header.trim().equals("runtime")) {
                throw new TraceFormatException(file, 1, "expected the header 'runtime', got " + (header == null ? "an empty file" : "'" + header + "'"));
            }
            String text;
            for (int line = 2; n < limit && (text = in.readLine()) != null; line++) {
                if (text.isBlank()) continue;
                double d = Parsing.parseDouble(file, line, "runtime", text);
                if (d < 0) throw new TraceFormatException(file, line, "runtime must be >= 0 seconds, got " + text);
                if (d == 0) { skipped++; continue; }
                if (n == ds.length) { ds = Arrays.copyOf(ds, n * 2); origins = Arrays.copyOf(origins, n * 2); }
                origins[n] = file.getFileName() + ":" + line;
                ds[n++] = d;
            }
        }
        return new Loaded(Arrays.copyOf(ds, n), Arrays.copyOf(origins, n), skipped);
    }
}

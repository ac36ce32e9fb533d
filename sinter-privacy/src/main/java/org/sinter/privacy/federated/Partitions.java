package org.sinter.privacy.federated;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a labelled training set is split among federated clients: each method returns, per client,
 * the indices of the examples it holds (disjoint, together all of them unless stated).
 */
public final class Partitions {
    private Partitions() {}

    /** IID: a seeded shuffle dealt out in near-equal parts (sizes differ by at most one). */
    public static List<int[]> iid(int examples, int clients, long seed) {
        check(examples, clients);
        int[] perm = permutation(examples, new SplittableRandom(seed));
        List<int[]> out = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            int from = (int) ((long) examples * c / clients), to = (int) ((long) examples * (c + 1) / clients);
            out.add(Arrays.copyOfRange(perm, from, to));
        }
        return out;
    }

    /**
     * Non-IID by a Dirichlet prior over labels (Hsu, Qi, Brown 2019): for each class, proportions
     * {@code p ~ Dir(alpha · 1)} over the clients, and the class's shuffled examples cut at those
     * proportions. Small alpha gives clients few classes; large alpha tends to IID. The draw is
     * repeated (up to 1,000 times) until every client holds at least {@code minSize} examples, as the
     * common reference implementations do, so that no client has nothing to train on.
     */
    public static List<int[]> dirichlet(int[] labels, int clients, double alpha, int minSize, long seed) {
        check(labels.length, clients);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Partitions.dirichlet: alpha must be positive and finite, got " + alpha);
        }
        if ((long) minSize * clients > labels.length) {
            throw new IllegalArgumentException("Partitions.dirichlet: " + clients + " clients of at least " + minSize
                    + " examples need " + (long) minSize * clients + ", only " + labels.length + " exist");
        }
        int[][] byClass = byClass(labels);
        var rng = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 1000; attempt++) {
            List<IntList> parts = new ArrayList<>(clients);
            for (int c = 0; c < clients; c++) parts.add(new IntList());
            for (int[] members : byClass) {
                int[] shuffled = members.clone();
                shuffle(shuffled, rng);
                double[] p = dirichletSample(clients, alpha, rng);
                double cum = 0;
                int start = 0;
                for (int c = 0; c < clients; c++) {
                    cum += p[c];
                    int end = c == clients - 1 ? shuffled.length : (int) Math.min(shuffled.length, Math.round(cum * shuffled.length));
                    for (int i = start; i < end; i++) parts.get(c).add(shuffled[i]);
                    start = Math.max(start, end);
                }
            }
            if (parts.stream().allMatch(l -> l.size >= minSize)) {
                List<int[]> out = new ArrayList<>(clients);
                for (IntList l : parts) out.add(l.toArray());
                return out;
            }
        }
        throw new IllegalStateException("Partitions.dirichlet: no split with every client holding >= " + minSize
                + " examples after 1000 draws (alpha " + alpha + ", " + clients + " clients); lower minSize or raise alpha");
    }

    /**
     * Pathological non-IID as McMahan et al. 2017: examples sorted by label, cut into
     * {@code clients · shardsPerClient} equal shards, each client given {@code shardsPerClient} shards
     * at random (so most clients see about that many digits).
     */
    public static List<int[]> shards(int[] labels, int clients, int shardsPerClient, long seed) {
        check(labels.length, clients);
        int shards = clients * shardsPerClient;
        if (shardsPerClient < 1 || shards > labels.length) {
            throw new IllegalArgumentException("Partitions.shards: " + shards + " shards need 1.." + labels.length + " examples each >= 1, got shardsPerClient " + shardsPerClient);
        }
        var rng = new SplittableRandom(seed);
        // Sort by label, ties in a random order, so a shard is a run of (mostly) one digit.
        int[] order = permutation(labels.length, rng);
        Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> Integer.compare(labels[a], labels[b]));
        int[] shardOrder = permutation(shards, rng);
        List<int[]> out = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            var l = new IntList();
            for (int k = 0; k < shardsPerClient; k++) {
                int s = shardOrder[c * shardsPerClient + k];
                int from = (int) ((long) labels.length * s / shards), to = (int) ((long) labels.length * (s + 1) / shards);
                for (int i = from; i < to; i++) l.add(boxed[i]);
            }
            out.add(l.toArray());
        }
        return out;
    }

    /** A sample of the symmetric Dirichlet: independent Gamma(alpha, 1) draws, normalised. */
    static double[] dirichletSample(int k, double alpha, SplittableRandom rng) {
        double[] g = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) sum += g[i] = gamma(alpha, rng);
        if (sum == 0) { // every draw underflowed (tiny alpha): all mass on one uniformly chosen client
            g[rng.nextInt(k)] = 1;
            return g;
        }
        for (int i = 0; i < k; i++) g[i] /= sum;
        return g;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang 2000; shape < 1 by the boost {@code G(a+1)·U^(1/a)}. */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(shape + 1, rng) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = gaussian(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static int[][] byClass(int[] labels) {
        int classes = 0;
        for (int y : labels) {
            if (y < 0) throw new IllegalArgumentException("Partitions: negative label " + y);
            classes = Math.max(classes, y + 1);
        }
        int[] counts = new int[classes];
        for (int y : labels) counts[y]++;
        int[][] out = new int[classes][];
        for (int k = 0; k < classes; k++) out[k] = new int[counts[k]];
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) out[labels[i]][fill[labels[i]]++] = i;
        return out;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p, rng);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void check(int examples, int clients) {
        if (clients < 1 || clients > examples) {
            throw new IllegalArgumentException("Partitions: need 1 <= clients <= examples, got " + clients + " clients for " + examples + " examples");
        }
    }

    private static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        int[] toArray() { return Arrays.copyOf(a, size); }
    }
}

package org.sinter;

import java.util.random.RandomGenerator;
import org.sinter.ops.RandomOps;

/**
 * A seedable pseudo-random source (L64X128MixRandom). The global generator backs
 * {@link Tensor#rand}, {@link Tensor#randn} and friends; {@link Sinter#manualSeed} reseeds it so
 * runs repeat exactly. Create your own to keep a stream independent of the global one.
 */
public final class Generator {
    private static volatile Generator global = new Generator(System.nanoTime());

    private Lxm rng;
    private long seed;

    public Generator(long seed) {
        manualSeed(seed);
    }

    public static Generator global() {
        return global;
    }

    /** Reseeds this generator. */
    public synchronized void manualSeed(long seed) {
        this.seed = seed;
        this.rng = new Lxm(seed);
    }

    /**
     * The exact state of this generator: {@code [initialSeed, a, s, x0, x1]}. Feeding it to
     * {@link #setState} on any generator continues the very same stream (PyTorch's {@code get_state}).
     */
    public synchronized long[] state() {
        return new long[] {seed, rng.a, rng.s, rng.x0, rng.x1};
    }

    /** Restores a state captured by {@link #state()}. */
    public synchronized void setState(long[] state) {
        if (state == null || state.length != 5) {
            throw new IllegalArgumentException("Generator.setState: expected 5 longs [seed, a, s, x0, x1], got "
                    + (state == null ? "null" : state.length + " values"));
        }
        if ((state[1] & 1) == 0 || (state[3] | state[4]) == 0) {
            throw new IllegalArgumentException("Generator.setState: not a valid state (a must be odd, x0 and x1 not both zero)");
        }
        Lxm r = new Lxm(0);
        r.a = state[1];
        r.s = state[2];
        r.x0 = state[3];
        r.x1 = state[4];
        this.seed = state[0];
        this.rng = r;
    }

    public long initialSeed() {
        return seed;
    }

    /** The underlying Java generator (for samplers that need more than tensors). */
    public synchronized RandomGenerator random() {
        return rng;
    }

    public synchronized Tensor rand(DType dtype, int... shape) {
        Tensor t = Tensor.empty(dtype.isFloatingPoint() ? dtype : fail("rand", dtype), shape);
        return RandomOps.uniform_(t, 0, 1, this);
    }

    /** Uniform [0, 1) values on {@code device}, drawn there (a GPU fills them with its own kernel, seeded from this generator). */
    public synchronized Tensor rand(DType dtype, Device device, int... shape) {
        Tensor t = Tensor.empty(dtype.isFloatingPoint() ? dtype : fail("rand", dtype), device, shape);
        return RandomOps.uniform_(t, 0, 1, this);
    }

    public synchronized Tensor randn(DType dtype, int... shape) {
        Tensor t = Tensor.empty(dtype.isFloatingPoint() ? dtype : fail("randn", dtype), shape);
        return RandomOps.normal_(t, 0, 1, this);
    }

    public synchronized Tensor randint(long low, long high, int... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got low=" + low + " high=" + high);
        return RandomOps.integers_(Tensor.empty(DType.INT64, shape), low, high, this);
    }

    public synchronized Tensor randperm(int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        Tensor t = Tensor.arange(n);
        Storage d = t.storage;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long tmp = d.getLong(i);
            d.setLong(i, d.getLong(j));
            d.setLong(j, tmp);
        }
        return t;
    }

    /** Fills t with U(from, to) draws from this generator (the {@code uniform_} primitive). */
    public Tensor uniform_(Tensor t, double from, double to) {
        return RandomOps.uniform_(t, from, to, this);
    }

    /** Fills t with N(mean, std²) draws from this generator (the {@code normal_} primitive). */
    public Tensor normal_(Tensor t, double mean, double std) {
        return RandomOps.normal_(t, mean, std, this);
    }

    private static DType fail(String op, DType dt) {
        throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + dt.name());
    }

    static void setGlobalSeed(long seed) {
        global.manualSeed(seed);
    }

    /**
     * The LXM generator L64X128MixRandom (a 64-bit LCG plus xoroshiro128, mixed by Lea's
     * function), with its state in plain fields. Every other draw (nextDouble, nextGaussian,
     * bounded ints) is RandomGenerator's default built on {@link #nextLong}, as in the JDK.
     */
    private static final class Lxm implements RandomGenerator {
        private static final long M = 0xd1342543de82ef95L;
        private static final long GOLDEN = 0x9e3779b97f4a7c15L;
        private static final long SILVER = 0x6A09E667F3BCC909L;
        long a, s, x0, x1;

        Lxm(long seed) {
            seed ^= SILVER;
            a = murmur64(seed) | 1;
            s = 1;
            x0 = stafford13(seed);
            x1 = stafford13(seed + GOLDEN);
            if ((x0 | x1) == 0) {
                x0 = stafford13(s + GOLDEN);
                x1 = stafford13(s + 2 * GOLDEN);
            }
        }

        @Override
        public long nextLong() {
            long z = s + x0;
            z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
            z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
            s = M * s + a;
            long q0 = x0, q1 = x1 ^ x0;
            x0 = Long.rotateLeft(q0, 24) ^ q1 ^ (q1 << 16);
            x1 = Long.rotateLeft(q1, 37);
            return z ^ (z >>> 32);
        }

        private static long murmur64(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }

        private static long stafford13(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}

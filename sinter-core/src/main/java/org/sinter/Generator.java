package org.sinter;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A seedable pseudo-random source (L64X128MixRandom). The global generator backs
 * {@link Tensor#rand}, {@link Tensor#randn} and friends; {@link Sinter#manualSeed} reseeds it so
 * runs repeat exactly. Create your own to keep a stream independent of the global one.
 */
public final class Generator {
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");
    private static volatile Generator global = new Generator(System.nanoTime());

    private RandomGenerator rng;
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
        this.rng = FACTORY.create(seed);
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
        fillUniform(t, 0, 1);
        return t;
    }

    public synchronized Tensor randn(DType dtype, int... shape) {
        Tensor t = Tensor.empty(dtype.isFloatingPoint() ? dtype : fail("randn", dtype), shape);
        fillNormal(t, 0, 1);
        return t;
    }

    public synchronized Tensor randint(long low, long high, int... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got low=" + low + " high=" + high);
        Tensor t = Tensor.empty(DType.INT64, shape);
        long[] d = t.storage.longs();
        for (int i = 0; i < d.length; i++) d[i] = rng.nextLong(low, high);
        return t;
    }

    public synchronized Tensor randperm(int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        Tensor t = Tensor.arange(n);
        long[] d = t.storage.longs();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        return t;
    }

    synchronized void uniform_(Tensor t, double from, double to) {
        fillUniform(t, from, to);
        t.storage.bumpVersion();
    }

    synchronized void normal_(Tensor t, double mean, double std) {
        fillNormal(t, mean, std);
        t.storage.bumpVersion();
    }

    private void fillUniform(Tensor t, double from, double to) {
        if (!t.isFloatingPoint()) fail("uniform_", t.dtype);
        Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype, t.shape);
        int n = dense.numel(), off = dense.offset;
        if (dense.dtype == DType.FLOAT32) {
            float[] d = dense.storage.floats();
            float a = (float) from, w = (float) (to - from);
            for (int i = 0; i < n; i++) d[off + i] = a + w * rng.nextFloat();
        } else {
            for (int i = 0; i < n; i++) dense.storage.setDouble(off + i, from + (to - from) * rng.nextDouble());
        }
        if (dense != t) org.sinter.ops.Copy.copyInto(t, dense);
    }

    private void fillNormal(Tensor t, double mean, double std) {
        if (!t.isFloatingPoint()) fail("normal_", t.dtype);
        Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype, t.shape);
        int n = dense.numel(), off = dense.offset;
        if (dense.dtype == DType.FLOAT32) {
            float[] d = dense.storage.floats();
            for (int i = 0; i < n; i++) d[off + i] = (float) (mean + std * rng.nextGaussian());
        } else {
            for (int i = 0; i < n; i++) dense.storage.setDouble(off + i, mean + std * rng.nextGaussian());
        }
        if (dense != t) org.sinter.ops.Copy.copyInto(t, dense);
    }

    private static DType fail(String op, DType dt) {
        throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + dt.name());
    }

    static void setGlobalSeed(long seed) {
        global.manualSeed(seed);
    }
}

package org.sinter.kernels.conv;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where a {@link WinogradConv} call's time goes, for benchmarks ({@code WinogradConvBench phases}):
 * thread-nanoseconds spent in each phase, summed over the threads, and the calls' wall time, so that
 * the wall time not covered by {@code Σ phase / threads} is the fork/joins' and the threads' waiting.
 * Off unless the JVM starts with {@code -Dsinter.conv.winograd.phases=true} ({@link #ON} is a constant,
 * so the JIT drops the clock reads from production calls).
 */
public final class WinogradPhases {
    private WinogradPhases() {}

    static final boolean ON = Boolean.getBoolean("sinter.conv.winograd.phases");

    /** The phases, in call order: zero-padding the input, gather + input transform, products, output transform + epilogue. */
    public static final String[] NAMES = {"pad", "input", "products", "output"};
    static final int PAD = 0, INPUT = 1, PRODUCTS = 2, OUTPUT = 3;

    private static final LongAdder[] NANOS = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private static final LongAdder WALL = new LongAdder(), CALLS = new LongAdder(), JOINS = new LongAdder();

    static void add(int phase, long nanos) {
        NANOS[phase].add(nanos);
    }

    static void call(long wallNanos, int joins) {
        WALL.add(wallNanos);
        CALLS.increment();
        JOINS.add(joins);
    }

    /** Whether the clock runs in this JVM. */
    public static boolean enabled() {
        return ON;
    }

    /**
     * Each phase's work in one call of {@code n} samples with {@code m x m} output tiles, as
     * {@code {flops, bytes}}: the transforms' multiply-adds as the sparse rows do them (2 flops each),
     * the products' {@code 2·(m+2)²·K·C} per tile, and the bytes each phase must read and write at the
     * least (the padded input read once, V, M and y once each, U once per call).
     */
    public static double[][] work(ConvGeometry g, int n, int m) {
        WinogradTransform t = WinogradTransform.of(m);
        int a = t.alpha();
        double tiles = (double) n * Math.ceilDiv(g.oh(), m) * Math.ceilDiv(g.ow(), m), points = a * a, c = g.c(), k = g.k();
        double padded = n * c * (Math.ceilDiv(g.oh(), m) * m + 2) * (Math.ceilDiv(g.ow(), m) * m + 2);
        double bt = nonZeros(t.btRows()), at = nonZeros(t.atRows());
        return new double[][] {
            {0, 4 * (n * c * g.inPlane() + padded)},
            {tiles * c * 2 * (2 * a * bt), 4 * (padded + points * c * tiles)},
            {tiles * 2 * points * k * c, 4 * (points * c * tiles + points * k * c + points * k * tiles)},
            {tiles * k * 2 * ((a + m) * at + m * m), 4 * (points * k * tiles + (double) n * k * g.outPlane())},
        };
    }

    private static int nonZeros(WinogradTransform.SparseRow[] rows) {
        int nz = 0;
        for (WinogradTransform.SparseRow r : rows) nz += r.cols().length;
        return nz;
    }

    /**
     * Per call since the last reset: each phase's thread-nanoseconds, then the wall nanoseconds, then
     * the parallel loops (fork/joins) entered; and resets.
     */
    public static double[] perCallAndReset() {
        long calls = Math.max(1, CALLS.sumThenReset());
        double[] out = new double[NAMES.length + 2];
        for (int i = 0; i < NAMES.length; i++) out[i] = (double) NANOS[i].sumThenReset() / calls;
        out[NAMES.length] = (double) WALL.sumThenReset() / calls;
        out[NAMES.length + 1] = (double) JOINS.sumThenReset() / calls;
        return out;
    }
}

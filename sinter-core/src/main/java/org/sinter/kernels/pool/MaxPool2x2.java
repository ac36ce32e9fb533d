package org.sinter.kernels.pool;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * Float32 max pooling with a 2x2 window and stride 2 (no padding, no dilation: the pool of LeNet,
 * VGG and the Lab 1 CNN), vectorized along the output row: one vector of the top input row and
 * one of the bottom row give {@code S.length() / 2} outputs.
 *
 * <p>A window's four inputs sit in two adjacent lanes of each row vector. Seen as a vector of
 * longs, each pair is one lane, so rotating every long by 32 bits swaps the pair's floats and
 * puts the right-hand input beside the left-hand one; the window then reduces in the even lanes,
 * and narrowing the longs to ints keeps exactly the even lanes: the outputs, in order. No shuffle
 * tables.
 *
 * <p>The reduction is the scalar kernels' rule, lane by lane, in the order top-left, top-right,
 * bottom-left, bottom-right: a later input wins only when strictly greater or NaN. So the first
 * of equal maxima wins (-0.0 before 0.0 stays -0.0), the last NaN wins, the values are
 * {@link PoolKernels#maxPool}'s bit for bit and the indices are the flat in-plane positions of
 * the winners, as before. The row's last step overlaps the previous one and recomputes a few
 * outputs with the same values. A row shorter than one step but at least {@link #MIN_OUTPUTS} long
 * (LeNet-5's second pool, 10x10 to 5x5, against 8 outputs per AVX-512 step) is one step whose
 * vectors run on past the row into what follows it (the next row, the next plane), and only the
 * row's own lanes are stored (a masked store): the lanes that read other windows are computed and
 * dropped. Where those vectors would leave the array (its last rows) the row runs window by window.
 * Shorter rows stay on the scalar kernels.
 */
public final class MaxPool2x2 {
    private MaxPool2x2() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> PAIRS = LongVector.SPECIES_PREFERRED;
    /** Half a vector of ints: one lane per window of a step. */
    private static final VectorSpecies<Integer> HALF_INT = IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(S.vectorBitSize() / 2));
    /** Outputs per vector step. */
    static final int STEP = S.length() / 2;
    /** Lane j of a step: 2j, the in-row offset of window j's top-left input. */
    private static final LongVector TWICE_IOTA = LongVector.zero(PAIRS).addIndex(2);
    private static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF_FLOAT = FloatVector.SPECIES_PREFERRED.withShape(HALF_INT.vectorShape());
    /**
     * Shortest row the kernel takes: half a step, so at least half of a short row's lanes are
     * outputs (LeNet-5's 5-output rows on AVX-512, whose step is 8).
     */
    static final int MIN_OUTPUTS = Math.max(1, STEP / 2);

    /** Whether {@code g} is the 2x2, stride-2 window this kernel runs (every window inside the plane, rows of at least {@link #MIN_OUTPUTS}). */
    public static boolean applies(MaxGeometry g) {
        return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1
                && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w() && g.oh() > 0 && g.ow() >= MIN_OUTPUTS;
    }

    /**
     * The window maxima of {@code planes} planes of {@code x} from {@code xOff} into {@code y} from
     * {@code yOff}, and when {@code idx} is not null each winner's flat in-plane index from 0.
     */
    public static void maxPool(MaxGeometry g, int planes, float[] x, int xOff, float[] y, int yOff, long[] idx) {
        if (!applies(g)) throw new IllegalArgumentException("MaxPool2x2: not a 2x2 stride-2 window inside the plane: " + g);
        int hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        if (g.ow() < STEP) {
            shortRows(g, planes, x, xOff, y, yOff, idx);
            return;
        }
        Parallel.forRange(planes, Math.max(1, 16384 / (4 * ohw)), (s, e) -> {
            for (int p = s; p < e; p++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    int in = xOff + p * hw + 2 * oy * g.w(), o = p * ohw + oy * g.ow(), rowIndex = 2 * oy * g.w();
                    row(x, in, g.w(), g.ow(), y, yOff + o, idx, o, rowIndex, g.w());
                }
            }
        });
    }

    /**
     * {@link #maxPool} for rows shorter than a step, in a loop (and a C2 compilation) of its own:
     * in the long rows' loop it slowed them. Rows whose vectors would leave the array (the last
     * ones) run window by window after the others.
     */
    private static void shortRows(MaxGeometry g, int planes, float[] x, int xOff, float[] y, int yOff, long[] idx) {
        int w = g.w(), ow = g.ow(), hw = g.h() * w, ohw = g.oh() * ow, rows = planes * g.oh();
        // Output rows [0, vectorRows) read whole vectors inside the array (row r's bottom vector
        // starts later as r grows, so only the last few rows can fail).
        int vectorRows = rows;
        while (vectorRows > 0 && xOff + ((vectorRows - 1) / g.oh()) * hw + (2 * ((vectorRows - 1) % g.oh()) + 1) * w + S.length() > x.length) vectorRows--;
        final int vr = vectorRows;
        Parallel.forRange(vr, Math.max(1, 16384 / (4 * ow)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int p = r / g.oh(), oy = r % g.oh(), o = p * ohw + oy * ow;
                shortRow(x, xOff + p * hw + 2 * oy * w, w, ow, y, yOff + o, idx, o, 2 * oy * w);
            }
        });
        for (int r = vr; r < rows; r++) {
            int p = r / g.oh(), oy = r % g.oh(), o = p * ohw + oy * ow;
            windows(x, xOff + p * hw + 2 * oy * w, w, ow, y, yOff + o, idx, o, 2 * oy * w);
        }
    }

    /** Where a later input replaces the running maximum: strictly greater, or NaN. */
    private static VectorMask<Float> wins(FloatVector v, FloatVector max) {
        return v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
    }

    /** The long view's lanes with their two floats swapped: each even lane gets its right-hand neighbour. */
    private static FloatVector swapPairs(FloatVector v) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.ROL, 32).reinterpretAsFloats();
    }

    /** The even lanes of {@code v} (a pair's left-hand float is its lower 32 bits), as half a vector. */
    private static IntVector evenLanes(IntVector v) {
        return (IntVector) v.reinterpretAsLongs().convertShape(VectorOperators.L2I, HALF_INT, 0);
    }

    /**
     * A row of {@code MIN_OUTPUTS <= ow < STEP} windows (arguments as for {@link #row}, the bottom
     * row {@code w} on): one step whose vectors read on past the row, which the caller keeps inside
     * the array; only the row's own outputs are stored. A method of its own, not a branch of
     * {@link #row}: a masked store on row's path made C2 compile the long rows 28% slower.
     */
    private static void shortRow(float[] x, int in, int w, int ow, float[] y, int o, long[] idx, int io, int rowIndex) {
        FloatVector top = FloatVector.fromArray(S, x, in), bottom = FloatVector.fromArray(S, x, in + w);
        FloatVector m = top, v = swapPairs(top);
        VectorMask<Float> takeRight = wins(v, m);
        m = m.blend(v, takeRight);
        VectorMask<Float> takeBelow = wins(bottom, m);
        m = m.blend(bottom, takeBelow);
        v = swapPairs(bottom);
        VectorMask<Float> takeBelowRight = wins(v, m);
        m = m.blend(v, takeBelowRight);
        evenLanes(m.reinterpretAsInts()).reinterpretAsFloats().intoArray(y, o, HALF_FLOAT.indexInRange(0, ow));
        if (idx != null) {
            IntVector k = IntVector.zero(INT).blend(IntVector.broadcast(INT, 1), takeRight.cast(INT))
                    .blend(IntVector.broadcast(INT, w), takeBelow.cast(INT)).blend(IntVector.broadcast(INT, w + 1), takeBelowRight.cast(INT));
            ((LongVector) evenLanes(k).convertShape(VectorOperators.I2L, PAIRS, 0)).add(TWICE_IOTA).add(rowIndex)
                    .intoArray(idx, io, PAIRS.indexInRange(0, ow));
        }
    }

    /** A short row at the array's end, window by window with the same rule (arguments as for {@link #shortRow}). */
    private static void windows(float[] x, int in, int w, int ow, float[] y, int o, long[] idx, int io, int rowIndex) {
        for (int ox = 0; ox < ow; ox++) {
            int c = in + 2 * ox, best = 0;
            float max = x[c];
            for (int q = 1; q < 4; q++) {
                int d = (q >> 1) * w + (q & 1); // right, below, below-right
                float v = x[c + d];
                if (v > max || v != v) {
                    max = v;
                    best = d;
                }
            }
            y[o + ox] = max;
            if (idx != null) idx[io + ox] = rowIndex + 2L * ox + best;
        }
    }

    /**
     * One output row of {@code ow >= STEP} windows whose top-left inputs start at {@code x[in]},
     * the bottom row {@code rowStride} further on; with {@code idx}, each winner's in-plane index
     * ({@code rowIndex}: the row's top-left input's, {@code w}: the plane's width). One loop body
     * for both (the index work is a branch the loop never changes), with the reduction inlined
     * here: as a method of its own C2 compiled it alone first, then found it too large to inline
     * and boxed every vector it returned.
     */
    private static void row(float[] x, int in, int rowStride, int ow, float[] y, int o, long[] idx, int io, int rowIndex, int w) {
        // A window's winner as an offset from its top-left input: 0, 1 (right), w (below), w + 1.
        IntVector right = IntVector.broadcast(INT, 1), below = IntVector.broadcast(INT, w), belowRight = IntVector.broadcast(INT, w + 1);
        for (int ox = 0; ; ox += STEP) {
            ox = Math.min(ox, ow - STEP);
            int c = in + 2 * ox;
            FloatVector top = FloatVector.fromArray(S, x, c), bottom = FloatVector.fromArray(S, x, c + rowStride);
            FloatVector m = top, v = swapPairs(top);
            VectorMask<Float> takeRight = wins(v, m);
            m = m.blend(v, takeRight);
            VectorMask<Float> takeBelow = wins(bottom, m);
            m = m.blend(bottom, takeBelow);
            v = swapPairs(bottom);
            VectorMask<Float> takeBelowRight = wins(v, m);
            m = m.blend(v, takeBelowRight);
            evenLanes(m.reinterpretAsInts()).reinterpretAsFloats().intoArray(y, o + ox);
            if (idx != null) {
                IntVector k = IntVector.zero(INT).blend(right, takeRight.cast(INT)).blend(below, takeBelow.cast(INT))
                        .blend(belowRight, takeBelowRight.cast(INT));
                ((LongVector) evenLanes(k).convertShape(VectorOperators.I2L, PAIRS, 0)).add(TWICE_IOTA).add(rowIndex + 2L * ox).intoArray(idx, io + ox);
            }
            if (ox == ow - STEP) return;
        }
    }
}

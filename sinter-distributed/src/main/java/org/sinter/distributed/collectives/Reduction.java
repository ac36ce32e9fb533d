package org.sinter.distributed.collectives;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.sinter.DType;
import org.sinter.distributed.ReduceOp;
import org.sinter.kernels.ConvertKernels;

/**
 * The elementwise combine of collectives: {@code acc = acc op in} for every dtype. Half types are
 * widened to float for each combine and rounded back, as PyTorch's gloo does on CPU.
 */
public final class Reduction {
    private Reduction() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    /** {@code acc[i] = acc[i] op in[i]}; AVG combines as SUM (see {@link #finishAverage}). */
    public static void combine(ReduceOp op, Buf acc, Buf in) {
        if (acc.dtype() != in.dtype() || acc.count() != in.count()) {
            throw new IllegalArgumentException("reduce: mismatched buffers " + acc.count() + " " + acc.dtype() + " and " + in.count() + " " + in.dtype());
        }
        MemorySegment a = acc.segment(), b = in.segment();
        long n = acc.count();
        switch (acc.dtype()) {
            case FLOAT32 -> combineFloat(op, a, b, n);
            case FLOAT64 -> {
                for (long i = 0; i < n; i++) a.setAtIndex(D, i, combine(op, a.getAtIndex(D, i), b.getAtIndex(D, i)));
            }
            case INT32 -> {
                for (long i = 0; i < n; i++) a.setAtIndex(I, i, (int) combine(op, (long) a.getAtIndex(I, i), (long) b.getAtIndex(I, i)));
            }
            case INT64 -> {
                for (long i = 0; i < n; i++) a.setAtIndex(L, i, combine(op, a.getAtIndex(L, i), b.getAtIndex(L, i)));
            }
            case BOOL -> {
                boolean or = op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.AVG;
                for (long i = 0; i < n; i++) {
                    boolean x = a.getAtIndex(B, i) != 0, y = b.getAtIndex(B, i) != 0;
                    a.setAtIndex(B, i, (byte) ((or ? x | y : x & y) ? 1 : 0));
                }
            }
            case FLOAT16 -> {
                for (long i = 0; i < n; i++) {
                    float r = combine(op, Float.float16ToFloat(a.getAtIndex(S, i)), Float.float16ToFloat(b.getAtIndex(S, i)));
                    a.setAtIndex(S, i, Float.floatToFloat16(r));
                }
            }
            case BFLOAT16 -> {
                for (long i = 0; i < n; i++) {
                    float r = combine(op, ConvertKernels.bf16ToFloat(a.getAtIndex(S, i)), ConvertKernels.bf16ToFloat(b.getAtIndex(S, i)));
                    a.setAtIndex(S, i, ConvertKernels.floatToBf16(r));
                }
            }
        }
    }

    /** Elements of float32 the combine moves through its arrays at a time (2 × 64 KiB, cache resident). */
    private static final int CHUNK = 16 << 10;
    private static final ThreadLocal<float[][]> CHUNKS = ThreadLocal.withInitial(() -> new float[][] {new float[CHUNK], new float[CHUNK]});

    /**
     * Per-element segment access in a loop over a heap and an off-heap segment (the ring mixes
     * both) keeps its bounds and alignment checks, about 0.3 GB/s; one plain array loop per op,
     * which the JIT vectorizes, is an order faster. A segment of a float array (a tensor's
     * storage) is combined in its array; any other is copied through a cache-sized chunk array.
     */
    private static void combineFloat(ReduceOp op, MemorySegment a, MemorySegment b, long n) {
        float[][] chunks = CHUNKS.get();
        float[] aArray = floatArray(a), bArray = floatArray(b);
        float[] x = aArray != null ? aArray : chunks[0], y = bArray != null ? bArray : chunks[1];
        int aBase = aArray != null ? (int) (a.address() / Float.BYTES) : 0;
        int bBase = bArray != null ? (int) (b.address() / Float.BYTES) : 0;
        for (long at = 0; at < n; at += CHUNK) {
            int len = (int) Math.min(CHUNK, n - at);
            long byteAt = at * Float.BYTES;
            int xAt = aArray != null ? aBase + (int) at : 0, yAt = bArray != null ? bBase + (int) at : 0;
            if (aArray == null) MemorySegment.copy(a, F, byteAt, x, 0, len);
            if (bArray == null) MemorySegment.copy(b, F, byteAt, y, 0, len);
            combineFloat(op, x, xAt, y, yAt, len);
            if (aArray == null) MemorySegment.copy(x, 0, a, F, byteAt, len);
        }
    }

    /** The float array {@code s} lies in, when it is a whole-element slice of one; else null. */
    private static float[] floatArray(MemorySegment s) {
        return s.heapBase().orElse(null) instanceof float[] f && s.address() % Float.BYTES == 0 ? f : null;
    }

    // One loop per op, so the JIT sees a plain elementwise loop it can vectorize.
    private static void combineFloat(ReduceOp op, float[] x, int xAt, float[] y, int yAt, int len) {
        switch (op) {
            case SUM, AVG -> { for (int i = 0; i < len; i++) x[xAt + i] += y[yAt + i]; }
            case PRODUCT -> { for (int i = 0; i < len; i++) x[xAt + i] *= y[yAt + i]; }
            case MIN -> { for (int i = 0; i < len; i++) x[xAt + i] = Math.min(x[xAt + i], y[yAt + i]); }
            case MAX -> { for (int i = 0; i < len; i++) x[xAt + i] = Math.max(x[xAt + i], y[yAt + i]); }
        }
    }

    private static double combine(ReduceOp op, double x, double y) {
        return switch (op) {
            case SUM, AVG -> x + y;
            case PRODUCT -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
        };
    }

    private static float combine(ReduceOp op, float x, float y) {
        return switch (op) {
            case SUM, AVG -> x + y;
            case PRODUCT -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
        };
    }

    private static long combine(ReduceOp op, long x, long y) {
        return switch (op) {
            case SUM, AVG -> x + y;
            case PRODUCT -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
        };
    }

    /** After an AVG reduction combined as a sum: divides by the group size. */
    public static void finishAverage(Buf buf, int groupSize) {
        if (groupSize == 1) return;
        MemorySegment a = buf.segment();
        long n = buf.count();
        switch (buf.dtype()) {
            case FLOAT32 -> { for (long i = 0; i < n; i++) a.setAtIndex(F, i, a.getAtIndex(F, i) / groupSize); }
            case FLOAT64 -> { for (long i = 0; i < n; i++) a.setAtIndex(D, i, a.getAtIndex(D, i) / groupSize); }
            case INT32 -> { for (long i = 0; i < n; i++) a.setAtIndex(I, i, a.getAtIndex(I, i) / groupSize); }
            case INT64 -> { for (long i = 0; i < n; i++) a.setAtIndex(L, i, a.getAtIndex(L, i) / groupSize); }
            case BOOL -> { } // the or of the ranks' values, as SUM
            case FLOAT16 -> {
                for (long i = 0; i < n; i++) a.setAtIndex(S, i, Float.floatToFloat16(Float.float16ToFloat(a.getAtIndex(S, i)) / groupSize));
            }
            case BFLOAT16 -> {
                for (long i = 0; i < n; i++) a.setAtIndex(S, i, ConvertKernels.floatToBf16(ConvertKernels.bf16ToFloat(a.getAtIndex(S, i)) / groupSize));
            }
        }
    }

}

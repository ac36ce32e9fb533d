package org.sinter.distributed.collectives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.sinter.DType;

/** A run of {@code count} elements of one dtype in memory: a tensor's storage or a scratch buffer. */
public record Buf(MemorySegment segment, DType dtype) {
    public long count() {
        return segment.byteSize() / dtype.itemSize();
    }

    /** Elements {@code [from, from + n)}. */
    public Buf slice(long from, long n) {
        return new Buf(segment.asSlice(from * dtype.itemSize(), n * dtype.itemSize()), dtype);
    }

    /** Off-heap scratch (freed by the GC), which sockets read and write without a staging copy. */
    public static Buf scratch(DType dtype, long count) {
        return new Buf(Arena.ofAuto().allocate(Math.max(1, count) * dtype.itemSize(), 8).asSlice(0, count * dtype.itemSize()), dtype);
    }

    /** {@code count} zeros in an array of {@code dtype}'s Java type, the storage a tensor of it has. */
    public static Buf heap(DType dtype, long count) {
        int n = Math.toIntExact(count);
        MemorySegment s = switch (dtype) {
            case FLOAT32 -> MemorySegment.ofArray(new float[n]);
            case FLOAT64 -> MemorySegment.ofArray(new double[n]);
            case INT32 -> MemorySegment.ofArray(new int[n]);
            case INT64 -> MemorySegment.ofArray(new long[n]);
            case FLOAT16, BFLOAT16 -> MemorySegment.ofArray(new short[n]);
            case BOOL -> MemorySegment.ofArray(new byte[n]);
        };
        return new Buf(s, dtype);
    }

    public void copyFrom(Buf src) {
        if (src.dtype != dtype || src.count() != count()) {
            throw new IllegalArgumentException("copy of " + src.count() + " " + src.dtype + " into " + count() + " " + dtype);
        }
        segment.copyFrom(src.segment);
    }
}

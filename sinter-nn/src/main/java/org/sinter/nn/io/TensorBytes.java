package org.sinter.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.sinter.Shape;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * A tensor's elements as little-endian, row-major bytes (the safetensors data layout), moved in
 * chunks through one scratch buffer so a large tensor never needs a second full-size copy.
 */
final class TensorBytes {
    /** Chunk size: large enough for fast bulk transfers, small enough to stay in cache. */
    static final int CHUNK = 1 << 20;

    private TensorBytes() {}

    /** Receives consecutive chunks of bytes (the buffer is valid only during the call). */
    interface Sink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Bytes a tensor of this dtype and shape occupies, or -1 when it overflows a long. */
    static long byteLength(DType dtype, long numel) {
        try {
            return Math.multiplyExact(numel, (long) dtype.itemSize());
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    static ByteBuffer scratch() {
        return ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Feeds the tensor's bytes, in row-major order, to {@code sink}; views are read through their strides. */
    static void forEachChunk(Tensor tensor, ByteBuffer scratch, Sink sink) throws IOException {
        Tensor t = tensor.contiguous();
        int n = Shape.numel(t);
        int off = t.storageOffset();
        int item = t.dtype().itemSize();
        int perChunk = scratch.capacity() / item;
        for (int start = 0; start < n; start += perChunk) {
            int count = Math.min(perChunk, n - start);
            scratch.clear();
            t.storage().readBytes(off + start, count, scratch);
            scratch.position(0).limit(count * item);
            sink.accept(scratch);
        }
    }

    /**
     * Reads a tensor stored at absolute file position {@code pos}. The caller has checked that the
     * byte range matches dtype and shape and lies inside the file.
     */
    static Tensor read(FileChannel ch, long pos, DType dtype, int[] shape, ByteBuffer scratch,
                       Path file, String name) throws IOException {
        Tensor t = Tensor.empty(dtype, shape);
        int n = Shape.numel(t);
        int item = dtype.itemSize();
        int perChunk = scratch.capacity() / item;
        for (int start = 0; start < n; start += perChunk) {
            int count = Math.min(perChunk, n - start);
            scratch.clear().limit(count * item);
            while (scratch.hasRemaining()) {
                int r = ch.read(scratch, pos + scratch.position());
                if (r < 0) throw new SafeTensorsException(file, "tensor \"" + name + "\": file ended inside its data");
            }
            pos += (long) count * item;
            scratch.flip();
            if (dtype == DType.BOOL) {
                for (int i = 0; i < count; i++) {
                    byte v = scratch.get(i);
                    if (v != 0 && v != 1) {
                        throw new SafeTensorsException(file, "tensor \"" + name + "\": BOOL element " + (start + i)
                                + " is " + (v & 0xff) + ", expected 0 or 1");
                    }
                }
            }
            t.storage().writeBytes(start, count, scratch);
        }
        return t;
    }
}

package org.sinter.data.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * The contents of one IDX file: element type, dimensions and the raw big-endian element bytes as
 * stored in the file. {@link #bytes()} is shared, not copied (MNIST's training images are 47 MB).
 *
 * <pre>{@code
 * IdxData labels = Idx.read(Path.of("train-labels-idx1-ubyte.gz"));
 * labels.dims();          // [60000]
 * labels.unsigned(0);     // 5
 * Tensor t = labels.toTensor();   // int32 [60000]
 * }</pre>
 */
public record IdxData(IdxType type, int[] dims, byte[] bytes) {
    public IdxData {
        long count = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("IdxData: negative dimension in " + Arrays.toString(dims));
            count *= d;
        }
        if (count * type.size() != bytes.length) {
            throw new IllegalArgumentException("IdxData: " + bytes.length + " bytes do not hold " + Arrays.toString(dims) + " " + type.name().toLowerCase());
        }
        dims = dims.clone();
    }

    /** Dimensions (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int count() {
        return bytes.length / type.size();
    }

    /** Element {@code i} of a ubyte file as 0..255. */
    public int unsigned(int i) {
        if (type != IdxType.UBYTE) throw new IllegalStateException("IdxData.unsigned: the file holds " + type.name().toLowerCase() + ", not ubyte");
        return bytes[i] & 0xFF;
    }

    /** Element {@code i} as a double, whatever the type. */
    public double getDouble(int i) {
        ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        return switch (type) {
            case UBYTE -> bytes[i] & 0xFF;
            case BYTE -> bytes[i];
            case SHORT -> b.getShort(i * 2);
            case INT -> b.getInt(i * 4);
            case FLOAT -> b.getFloat(i * 4);
            case DOUBLE -> b.getDouble(i * 8);
        };
    }

    /** A tensor of these values: integer types become int32, float float32, double float64. */
    public Tensor toTensor() {
        int n = count();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int[] shape = dims.length == 0 ? new int[0] : dims.clone();
        return switch (type) {
            case UBYTE, BYTE, SHORT, INT -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = switch (type) {
                        case UBYTE -> bytes[i] & 0xFF;
                        case BYTE -> bytes[i];
                        case SHORT -> b.getShort(i * 2);
                        default -> b.getInt(i * 4);
                    };
                }
                yield shape.length == 0 ? Tensor.scalar(a[0], DType.INT32) : Tensor.of(a, shape);
            }
            case FLOAT -> {
                float[] a = new float[n];
                b.asFloatBuffer().get(a);
                yield shape.length == 0 ? Tensor.scalar(a[0]) : Tensor.of(a, shape);
            }
            case DOUBLE -> {
                double[] a = new double[n];
                b.asDoubleBuffer().get(a);
                yield shape.length == 0 ? Tensor.scalar(a[0], DType.FLOAT64) : Tensor.of(a, shape);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxData d && d.type == type && Arrays.equals(d.dims, dims) && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + Arrays.hashCode(dims)) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "IdxData(" + type.name().toLowerCase() + " " + Arrays.toString(dims) + ")";
    }
}

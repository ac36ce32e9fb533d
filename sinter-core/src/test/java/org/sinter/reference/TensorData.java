package org.sinter.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * A tensor as a fixture stores it: dtype, shape and row-major values. Floats are kept as doubles
 * (exact for float32), integers and bools as longs (bools 0/1), so no value is ever rounded.
 */
record TensorData(DType dtype, int[] shape, double[] floats, long[] ints) {

    static TensorData parse(JsonNode node) {
        DType dtype = dtypeOf(node.get("dtype").asText());
        int[] shape = Attrs.intArray(node.get("shape"));
        byte[] raw = Base64.getDecoder().decode(node.get("data").asText());
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / dtype.itemSize();
        if (n != numel(shape)) {
            throw new IllegalArgumentException("fixture tensor: " + n + " values for shape " + Arrays.toString(shape));
        }
        double[] f = null;
        long[] l = null;
        switch (dtype) {
            case FLOAT32 -> { f = new double[n]; for (int i = 0; i < n; i++) f[i] = buf.getFloat(); }
            case FLOAT64 -> { f = new double[n]; for (int i = 0; i < n; i++) f[i] = buf.getDouble(); }
            case INT32 -> { l = new long[n]; for (int i = 0; i < n; i++) l[i] = buf.getInt(); }
            case INT64 -> { l = new long[n]; for (int i = 0; i < n; i++) l[i] = buf.getLong(); }
            case BOOL -> { l = new long[n]; for (int i = 0; i < n; i++) l[i] = buf.get(); }
            default -> throw new IllegalArgumentException("fixture dtype " + dtype);
        }
        return new TensorData(dtype, shape, f, l);
    }

    static DType dtypeOf(String name) {
        return switch (name) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int32" -> DType.INT32;
            case "int64" -> DType.INT64;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException("unknown fixture dtype " + name);
        };
    }

    /** The values of a Sinter tensor, read back in row-major order (any strides). */
    static TensorData of(Tensor t) {
        DType dt = t.dtype();
        return switch (dt) {
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> new TensorData(dt, t.shape(), t.toDoubleArray(), null);
            case BOOL -> {
                boolean[] b = t.toBooleanArray();
                long[] l = new long[b.length];
                for (int i = 0; i < b.length; i++) l[i] = b[i] ? 1 : 0;
                yield new TensorData(dt, t.shape(), null, l);
            }
            default -> new TensorData(dt, t.shape(), null, t.toLongArray());
        };
    }

    boolean isFloat() { return floats != null; }

    int numel() { return numel(shape); }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** A new contiguous Sinter tensor holding these values. */
    Tensor toTensor() { return build(dtype, shape, floats, ints); }

    static Tensor build(DType dtype, int[] shape, double[] f, long[] l) {
        // Tensor.of(data) with no shape means 1-D; a 0-d tensor is made by Tensor.scalar.
        if (shape.length == 0) return Tensor.scalar(f != null ? f[0] : l[0], dtype);
        return switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[f.length];
                for (int i = 0; i < a.length; i++) a[i] = (float) f[i];
                yield Tensor.of(a, shape);
            }
            case FLOAT64 -> Tensor.of(f.clone(), shape);
            case INT32 -> {
                int[] a = new int[l.length];
                for (int i = 0; i < a.length; i++) a[i] = (int) l[i];
                yield Tensor.of(a, shape);
            }
            case INT64 -> Tensor.of(l.clone(), shape);
            case BOOL -> {
                boolean[] a = new boolean[l.length];
                for (int i = 0; i < a.length; i++) a[i] = l[i] != 0;
                yield Tensor.of(a, shape);
            }
            default -> throw new IllegalArgumentException("fixture dtype " + dtype);
        };
    }

    String valueAt(int i) {
        if (floats != null) return dtype == DType.FLOAT32 ? Float.toString((float) floats[i]) : Double.toString(floats[i]);
        return dtype == DType.BOOL ? Boolean.toString(ints[i] != 0) : Long.toString(ints[i]);
    }

    String describe() { return dtype.name().toLowerCase() + Arrays.toString(shape); }
}

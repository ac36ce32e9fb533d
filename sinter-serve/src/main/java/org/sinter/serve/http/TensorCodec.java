package org.sinter.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.serve.DataType;
import org.sinter.serve.ServeException;

/**
 * Tensors to and from the protocol's two encodings: JSON {@code data} (flat or nested row-major) and
 * the binary tensor data extension (raw little-endian elements, BOOL as one byte).
 */
public final class TensorCodec {
    private TensorCodec() {}

    /** A tensor from JSON {@code data}: exactly {@code count} elements of the datatype's kind, in any nesting. */
    public static Tensor fromJson(JsonNode data, DataType dt, int count, int[] shape, String field) {
        if (!data.isArray()) throw ServeException.badRequest(field + " must be an array");
        Filler f = new Filler(dt, count, field);
        f.fill(data, 0);
        if (f.n != count) throw ServeException.badRequest(field + ": " + f.n + " elements for shape " + Arrays.toString(shape) + ", which needs " + count);
        return f.tensor(shape);
    }

    /** A tensor from {@code count} elements read off the binary section. */
    public static Tensor fromBinary(ByteBuffer in, DataType dt, int count, int[] shape) {
        ByteBuffer b = in.slice().order(ByteOrder.LITTLE_ENDIAN).limit(count * dt.byteSize);
        in.position(in.position() + count * dt.byteSize);
        return switch (dt) {
            case FP32 -> {
                float[] a = new float[count];
                b.asFloatBuffer().get(a);
                yield Tensor.of(a, shape);
            }
            case FP64 -> {
                double[] a = new double[count];
                b.asDoubleBuffer().get(a);
                yield Tensor.of(a, shape);
            }
            case INT32 -> {
                int[] a = new int[count];
                b.asIntBuffer().get(a);
                yield Tensor.of(a, shape);
            }
            case INT64 -> {
                long[] a = new long[count];
                b.asLongBuffer().get(a);
                yield Tensor.of(a, shape);
            }
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) a[i] = b.get(i) != 0;
                yield Tensor.of(a, shape);
            }
        };
    }

    /** Writes the tensor's elements as a flat JSON array. */
    public static void writeJson(JsonGenerator g, Tensor t) throws IOException {
        DataType dt = DataType.of(t.dtype());
        switch (dt) {
            case FP32 -> {
                // writeNumber(float) prints the shortest decimal that reads back as the same float
                g.writeStartArray();
                for (float v : t.toFloatArray()) g.writeNumber(v);
                g.writeEndArray();
            }
            case FP64 -> {
                double[] a = t.toDoubleArray();
                g.writeArray(a, 0, a.length);
            }
            case INT32 -> {
                int[] a = t.toIntArray();
                g.writeArray(a, 0, a.length);
            }
            case INT64 -> {
                long[] a = t.toLongArray();
                g.writeArray(a, 0, a.length);
            }
            case BOOL -> {
                int[] a = t.toIntArray();
                g.writeStartArray();
                for (int v : a) g.writeBoolean(v != 0);
                g.writeEndArray();
            }
        }
    }

    /** The tensor's elements as raw little-endian bytes. */
    public static byte[] toBinary(Tensor t) {
        DataType dt = DataType.of(t.dtype());
        int n = (int) t.numel();
        ByteBuffer b = ByteBuffer.allocate(n * dt.byteSize).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case FP32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FP64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(t.toIntArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case BOOL -> {
                for (int v : t.toIntArray()) b.put((byte) (v != 0 ? 1 : 0));
            }
        }
        return b.array();
    }

    /** Walks nested arrays in row-major order into one flat primitive array. */
    private static final class Filler {
        final DataType dt;
        final int count;
        final String field;
        final float[] f;
        final double[] d;
        final int[] i;
        final long[] l;
        final boolean[] z;
        int n;

        Filler(DataType dt, int count, String field) {
            this.dt = dt;
            this.count = count;
            this.field = field;
            f = dt == DataType.FP32 ? new float[count] : null;
            d = dt == DataType.FP64 ? new double[count] : null;
            i = dt == DataType.INT32 ? new int[count] : null;
            l = dt == DataType.INT64 ? new long[count] : null;
            z = dt == DataType.BOOL ? new boolean[count] : null;
        }

        void fill(JsonNode node, int depth) {
            if (depth > 16) throw ServeException.badRequest(field + ": nested deeper than 16 levels");
            for (JsonNode e : node) {
                if (e.isArray()) {
                    fill(e, depth + 1);
                    continue;
                }
                if (n >= count) throw ServeException.badRequest(field + ": more elements than the shape's " + count);
                // The element's name (field[n]) is built only for an error, not for each of the
                // hundreds of elements of a valid request.
                switch (dt) {
                    case FP32, FP64 -> {
                        if (!e.isNumber()) throw ServeException.badRequest(at() + " must be a number for " + dt + ", got " + e);
                        if (dt == DataType.FP32) f[n] = e.floatValue(); else d[n] = e.doubleValue();
                    }
                    case INT32 -> {
                        if (!e.isIntegralNumber() || !e.canConvertToInt()) throw ServeException.badRequest(at() + " must be a 32-bit integer for INT32, got " + e);
                        i[n] = e.intValue();
                    }
                    case INT64 -> {
                        if (!e.isIntegralNumber() || !e.canConvertToLong()) throw ServeException.badRequest(at() + " must be a 64-bit integer for INT64, got " + e);
                        l[n] = e.longValue();
                    }
                    case BOOL -> {
                        if (!e.isBoolean()) throw ServeException.badRequest(at() + " must be true or false for BOOL, got " + e);
                        z[n] = e.booleanValue();
                    }
                }
                n++;
            }
        }

        private String at() {
            return field + "[" + n + "]";
        }

        Tensor tensor(int[] shape) {
            return switch (dt) {
                case FP32 -> Tensor.of(f, shape);
                case FP64 -> Tensor.of(d, shape);
                case INT32 -> Tensor.of(i, shape);
                case INT64 -> Tensor.of(l, shape);
                case BOOL -> Tensor.of(z, shape);
            };
        }
    }
}

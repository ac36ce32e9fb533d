package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * A tensor as a fixture stores it (a TENSOR of tools/fixtures/README.md): dtype, shape and
 * row-major values. Floats are kept as doubles (exact for float32), integers and bools as longs
 * (bools 0/1), so no value is ever rounded. Plain data: {@link TensorFactory} makes tensors of it.
 */
public record TensorData(DType dtype, int[] shape, double[] floats, long[] ints) {

    /** Decodes {@code {"dtype", "shape", "data"}}: data is base64 of little-endian values. */
    public static TensorData parse(JsonNode node) {
        DType dtype = TensorMeta.dtypeOf(node.get("dtype").asText());
        int[] shape = Attrs.intArray(node.get("shape"));
        byte[] raw = Base64.getDecoder().decode(node.get("data").asText());
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / dtype.itemSize();
        if (n != TensorMeta.numel(shape)) {
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

    /** {@link #parse}, or null for a missing or JSON-null tensor (an absent gradient). */
    public static TensorData parseOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : parse(node);
    }

    /** A JSON list of TENSORs, nulls kept. */
    public static List<TensorData> parseList(JsonNode array) {
        List<TensorData> out = new ArrayList<>();
        for (JsonNode t : array) out.add(parseOrNull(t));
        return Collections.unmodifiableList(out);
    }

    /** A JSON object of TENSORs as an ordered map from name to tensor, nulls kept. */
    public static Map<String, TensorData> parseNamed(JsonNode object) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), parseOrNull(e.getValue())));
        return Collections.unmodifiableMap(out);
    }

    /** The values of a Sinter tensor, read back in row-major order (any strides). */
    public static TensorData of(Tensor t) {
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

    /** A new contiguous CPU tensor holding these values. */
    public Tensor toTensor() { return TensorFactory.CPU.create(this); }

    public TensorMeta meta() { return new TensorMeta(TensorMeta.nameOf(dtype), shape); }

    public boolean isFloat() { return floats != null; }

    public int numel() { return TensorMeta.numel(shape); }

    /** Element i as a double (bools 0/1), for error arithmetic. */
    public double asDouble(int i) { return floats != null ? floats[i] : ints[i]; }

    /** Element i as the dtype prints it (float32 without spurious digits). */
    public String valueAt(int i) {
        if (floats != null) return dtype == DType.FLOAT32 ? Float.toString((float) floats[i]) : Double.toString(floats[i]);
        return dtype == DType.BOOL ? Boolean.toString(ints[i] != 0) : Long.toString(ints[i]);
    }

    /** Like {@code float32[2, 3]}. */
    public String describe() { return meta().toString(); }
}

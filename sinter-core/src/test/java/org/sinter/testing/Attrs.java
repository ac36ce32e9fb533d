package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.sinter.DType;

/** An op's attributes from a fixture case (dims, keepDim, scalars...), read by name. */
public record Attrs(JsonNode node) {

    public static final Attrs NONE = new Attrs(JsonNodeFactory.instance.objectNode());

    private JsonNode get(String name) {
        JsonNode v = node.get(name);
        if (v == null) throw new IllegalArgumentException("fixture attribute '" + name + "' missing in " + node);
        return v;
    }

    public boolean has(String name) { return node.has(name); }

    /** Whether the attribute is a string (an optional argument written as "none", a padding mode). */
    public boolean isText(String name) { return get(name).isTextual(); }

    public int i(String name) { return get(name).asInt(); }

    public long l(String name) { return get(name).asLong(); }

    public boolean b(String name) { return get(name).asBoolean(); }

    public String s(String name) { return get(name).asText(); }

    public int[] ints(String name) { return intArray(get(name)); }

    /** PyTorch's int-or-tuple arguments (kernel sizes, strides): a lone int is a one-element list. */
    public int[] intOrInts(String name) {
        JsonNode v = get(name);
        return v.isArray() ? intArray(v) : new int[] {v.asInt()};
    }

    /** A number; the strings "inf", "-inf" and "nan" stand for the non-finite ones. */
    public double d(String name) { return number(get(name)); }

    public DType dtype(String name) { return TensorMeta.dtypeOf(s(name)); }

    public static double number(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        return switch (v.asText()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    public static int[] intArray(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    @Override
    public String toString() { return node.toString(); }
}

package org.sinter.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.sinter.DType;

/** An op's attributes from a fixture case (dims, keepDim, scalars...), read by name. */
record Attrs(JsonNode node) {

    static final Attrs NONE = new Attrs(JsonNodeFactory.instance.objectNode());

    private JsonNode get(String name) {
        JsonNode v = node.get(name);
        if (v == null) throw new IllegalArgumentException("fixture attribute '" + name + "' missing in " + node);
        return v;
    }

    boolean has(String name) { return node.has(name); }

    int i(String name) { return get(name).asInt(); }

    long l(String name) { return get(name).asLong(); }

    boolean b(String name) { return get(name).asBoolean(); }

    String s(String name) { return get(name).asText(); }

    int[] ints(String name) { return intArray(get(name)); }

    /** A number; the strings "inf", "-inf" and "nan" stand for the non-finite ones. */
    double d(String name) { return number(get(name)); }

    DType dtype(String name) { return TensorData.dtypeOf(s(name)); }

    static double number(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        return switch (v.asText()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    static int[] intArray(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    @Override
    public String toString() { return node.toString(); }
}

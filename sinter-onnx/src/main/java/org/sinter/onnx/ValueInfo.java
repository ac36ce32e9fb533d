package org.sinter.onnx;

import java.util.List;
import org.sinter.DType;

/**
 * A graph input or output as the model declares it: name, ONNX element type (and Sinter's dtype for
 * it), and shape, whose dimensions are sizes, named symbols ({@code dim_param}: dynamic dimensions
 * that must agree wherever the same name appears) or unknown; {@code shape} is null when even the
 * rank is unknown.
 */
public record ValueInfo(String name, int elemType, DType dtype, List<Dim> shape, Kind kind) {
    /**
     * What the value is: a tensor of numbers, a tensor of strings, or a sequence or optional (the
     * last three held by {@link ValueGraph} as {@link OnnxStrings}, {@link OnnxSequence} and {@link OnnxOptional}).
     */
    public enum Kind { TENSOR, STRINGS, SEQUENCE, OPTIONAL }

    public ValueInfo(String name, int elemType, DType dtype, List<Dim> shape) {
        this(name, elemType, dtype, shape, Kind.TENSOR);
    }

    /** One dimension: {@code size} >= 0 when fixed, else -1 with {@code param} the symbol's name or null when unknown. */
    public record Dim(long size, String param) {
        public boolean fixed() { return size >= 0; }

        @Override public String toString() {
            return size >= 0 ? Long.toString(size) : param != null ? param : "?";
        }
    }

    public boolean fullyStatic() {
        return shape != null && shape.stream().allMatch(Dim::fixed);
    }

    @Override public String toString() {
        if (kind == Kind.STRINGS) return name + ": string" + (shape == null ? "[?]" : shape.toString());
        if (kind != Kind.TENSOR) return name + ": " + kind.name().toLowerCase();
        return name + ": " + ElementTypes.name(elemType) + (shape == null ? "[?]" : shape.toString());
    }
}

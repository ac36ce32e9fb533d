package org.sinter.onnx;

/** An ONNX optional value: a tensor or sequence, or nothing ({@code value} null). */
public record OnnxOptional(Object value) {
    public static final OnnxOptional EMPTY = new OnnxOptional(null);

    public boolean isPresent() { return value != null; }
}

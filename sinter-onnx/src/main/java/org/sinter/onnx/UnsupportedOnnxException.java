package org.sinter.onnx;

/** A well-formed model that uses an operator, attribute, opset or type Sinter does not implement. */
public final class UnsupportedOnnxException extends OnnxException {
    private static final long serialVersionUID = 1L;

    public UnsupportedOnnxException(String message) {
        super(message);
    }
}

package org.sinter.onnx;

/**
 * A model Sinter cannot load or run: a malformed file, an inconsistent graph, or an operator,
 * attribute or type Sinter does not support. The message names the file, node, field or operator.
 */
public class OnnxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OnnxException(String message) {
        super(message);
    }

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.sinter.onnx;

import java.util.List;

/** An ONNX sequence value: an ordered list of tensors (or of sequences or optionals), immutable. */
public record OnnxSequence(List<Object> items) {
    public OnnxSequence {
        items = List.copyOf(items);
    }

    public int size() { return items.size(); }
}

package org.sinter.serve.config;

import java.util.Arrays;
import org.sinter.serve.DataType;

/**
 * One input or output of a model as its config declares it: name, datatype and shape. With batching
 * ({@code max_batch_size > 0}) the shape leaves out the batch dimension, as Triton's configs do;
 * {@code -1} is a dimension of any size.
 */
public record TensorConfig(String name, DataType datatype, int[] shape) {
    public TensorConfig {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** True when {@code dims} (without the batch dimension) fits the declared shape. */
    public boolean accepts(int[] dims) {
        if (dims.length != shape.length) return false;
        for (int i = 0; i < dims.length; i++) if (shape[i] != -1 && shape[i] != dims[i]) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorConfig t && t.name.equals(name) && t.datatype == datatype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + datatype + " " + Arrays.toString(shape);
    }
}

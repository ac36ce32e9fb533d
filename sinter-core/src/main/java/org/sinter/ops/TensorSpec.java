package org.sinter.ops;

import java.util.Arrays;
import org.sinter.DType;

/**
 * What an op's meta function says about one output: its shape and dtype (outputs that are not
 * views are dense and row-major; views carry their geometry in the view op itself).
 */
public record TensorSpec(int[] shape, DType dtype) {
    public TensorSpec {
        shape = shape.clone();
    }

    @Override public int[] shape() { return shape.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && s.dtype == dtype && Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dtype.hashCode();
    }

    @Override
    public String toString() {
        return dtype.torchName() + Arrays.toString(shape);
    }
}

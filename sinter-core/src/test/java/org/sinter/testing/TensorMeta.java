package org.sinter.testing;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * A tensor's dtype and shape as plain data, without values: what a backend that only propagates
 * metadata (a meta backend, a tracer) must agree with PyTorch on. The dtype is the fixture
 * format's name ({@code float32 float64 int32 int64 bool}), which is also PyTorch's.
 */
public record TensorMeta(String dtypeName, int[] shape) {

    public TensorMeta {
        shape = shape.clone();
    }

    public static TensorMeta of(Tensor t) { return new TensorMeta(nameOf(t.dtype()), t.shape()); }

    public static TensorMeta of(DType dtype, int... shape) { return new TensorMeta(nameOf(dtype), shape); }

    @Override
    public int[] shape() { return shape.clone(); }

    public DType dtype() { return dtypeOf(dtypeName); }

    public int numel() { return numel(shape); }

    public static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Sinter's DType names are PyTorch's in upper case. */
    public static DType dtypeOf(String name) {
        try {
            return DType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fixture dtype " + name, e);
        }
    }

    public static String nameOf(DType dtype) { return dtype.name().toLowerCase(Locale.ROOT); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorMeta m && dtypeName.equals(m.dtypeName) && Arrays.equals(shape, m.shape);
    }

    @Override
    public int hashCode() { return 31 * dtypeName.hashCode() + Arrays.hashCode(shape); }

    /** Like {@code float32[2, 3]}. */
    @Override
    public String toString() { return dtypeName + Arrays.toString(shape); }
}

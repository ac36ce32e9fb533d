package org.sinter.testing;

import org.sinter.Tensor;

/** {@link TensorFactory#CPU}: tensors built from Java arrays with {@link Tensor#of}. */
final class CpuTensorFactory implements TensorFactory {

    @Override
    public Tensor create(TensorData data) {
        int[] shape = data.shape();
        double[] f = data.floats();
        long[] l = data.ints();
        // Tensor.of(data) with no shape means 1-D; a 0-d tensor is made by Tensor.scalar.
        if (shape.length == 0) return Tensor.scalar(f != null ? f[0] : l[0], data.dtype());
        return switch (data.dtype()) {
            case FLOAT32 -> {
                float[] a = new float[f.length];
                for (int i = 0; i < a.length; i++) a[i] = (float) f[i];
                yield Tensor.of(a, shape);
            }
            case FLOAT64 -> Tensor.of(f.clone(), shape);
            case INT32 -> {
                int[] a = new int[l.length];
                for (int i = 0; i < a.length; i++) a[i] = (int) l[i];
                yield Tensor.of(a, shape);
            }
            case INT64 -> Tensor.of(l.clone(), shape);
            case BOOL -> {
                boolean[] a = new boolean[l.length];
                for (int i = 0; i < a.length; i++) a[i] = l[i] != 0;
                yield Tensor.of(a, shape);
            }
            default -> throw new IllegalArgumentException("fixture dtype " + data.dtype());
        };
    }

    @Override
    public String toString() { return "cpu"; }
}

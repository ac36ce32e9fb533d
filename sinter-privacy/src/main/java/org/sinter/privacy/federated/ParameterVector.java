package org.sinter.privacy.federated;

import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * A model's trainable parameters as one flat float32 vector, in {@link Module#parameters()} order:
 * what the server broadcasts and what a client's update is measured against.
 */
public final class ParameterVector {
    private ParameterVector() {}

    public static int size(Module model) {
        long n = 0;
        for (Tensor p : model.parameters()) n += p.numel();
        if (n > Integer.MAX_VALUE - 1) throw new IllegalArgumentException("ParameterVector: " + n + " parameters do not fit one vector");
        return (int) n;
    }

    public static float[] get(Module model) {
        float[] out = new float[size(model)];
        int at = 0;
        for (Tensor p : model.parameters()) {
            float[] v = p.toFloatArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** Copies {@code values} into the model's parameters (in place, outside autograd). */
    public static void set(Module model, float[] values) {
        List<Tensor> params = model.parameters();
        int expected = size(model);
        if (values.length != expected) {
            throw new IllegalArgumentException("ParameterVector.set: " + values.length + " values for a model of " + expected + " parameters");
        }
        int at = 0;
        try (var _ = Sinter.noGrad()) {
            for (Tensor p : params) {
                int n = (int) p.numel();
                float[] slice = new float[n];
                System.arraycopy(values, at, slice, 0, n);
                p.copy_(Tensor.of(slice, p.shape()));
                at += n;
            }
        }
    }
}

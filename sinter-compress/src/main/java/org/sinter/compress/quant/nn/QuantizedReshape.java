package org.sinter.compress.quant.nn;

import java.util.Arrays;
import org.sinter.compress.quant.QTensor;

/** Flatten on quantized bytes: a reshape that keeps the qparams. */
public final class QuantizedReshape implements QuantStage {
    private final int startDim, endDim;

    public QuantizedReshape(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public QTensor forward(QTensor x) {
        int d = x.dim(), s = startDim < 0 ? startDim + d : startDim, e = endDim < 0 ? endDim + d : endDim;
        if (s < 0 || e >= d || s > e) throw new IllegalArgumentException("QuantizedFlatten: dims " + startDim + ".." + endDim + " do not fit shape " + Arrays.toString(x.shape()));
        int[] shape = x.shape(), out = new int[d - (e - s)];
        int k = 0, merged = 1;
        for (int i = 0; i < d; i++) {
            if (i < s || i > e) out[k++] = shape[i];
            else {
                merged *= shape[i];
                if (i == e) out[k++] = merged;
            }
        }
        return x.reshape(out);
    }

    public int startDim() { return startDim; }

    public int endDim() { return endDim; }

    @Override
    public String describe() {
        return "QuantizedFlatten(start_dim=" + startDim + ", end_dim=" + endDim + ")";
    }
}

package org.sinter.data;

import java.util.Arrays;
import org.sinter.Tensor;

/**
 * Tensors of equal length along dimension 0, read together: sample {@code i} is
 * {@code {t0[i], t1[i], ...}} as a {@code Tensor[]} (views, no copy). PyTorch's {@code TensorDataset}.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(100, 3);
 * Tensor y = Tensor.randint(0, 2, 100);
 * var ds = new TensorDataset(x, y);
 * Tensor[] s = ds.get(7);                 // s[0]: shape [3], s[1]: shape [] (int64)
 * for (Batch b : DataLoader.builder(ds).batchSize(32).build()) { b.input(); b.target(); }
 * }</pre>
 */
public final class TensorDataset implements Dataset<Tensor[]> {
    private final Tensor[] tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset: expected at least one tensor");
        for (int k = 0; k < tensors.length; k++) {
            if (tensors[k].dim() == 0) throw new IllegalArgumentException("TensorDataset: tensor " + k + " is 0-d; it needs a dimension 0 to index");
            if (tensors[k].size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("TensorDataset: size mismatch along dimension 0: tensor 0 has shape "
                        + Arrays.toString(tensors[0].shape()) + ", tensor " + k + " has shape " + Arrays.toString(tensors[k].shape()));
            }
        }
        this.tensors = tensors.clone();
    }

    /** The tensors this dataset indexes. */
    public Tensor[] tensors() {
        return tensors.clone();
    }

    @Override
    public int size() {
        return tensors[0].size(0);
    }

    @Override
    public Tensor[] get(int index) {
        Dataset.checkIndex("TensorDataset", index, size());
        Tensor[] sample = new Tensor[tensors.length];
        for (int k = 0; k < tensors.length; k++) sample[k] = tensors[k].select(0, index);
        return sample;
    }
}

package org.sinter.data;

import org.sinter.Generator;
import org.sinter.data.transforms.Transform;

/** {@link Dataset#map}: applies a transform to each sample when it is read. */
final class MappedDataset<T, R> implements Dataset<R> {
    private final Dataset<T> base;
    private final Transform<? super T, ? extends R> transform;

    MappedDataset(Dataset<T> base, Transform<? super T, ? extends R> transform) {
        this.base = base;
        this.transform = transform;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public R get(int index) {
        return get(index, Generator.global());
    }

    @Override
    public R get(int index, Generator gen) {
        return transform.apply(base.get(index, gen), gen);
    }
}

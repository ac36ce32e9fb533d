package org.sinter.data.transforms;

import java.util.List;
import org.sinter.Generator;

/**
 * Transforms of one type applied in order (torchvision's {@code Compose}); use
 * {@link Transform#andThen} to chain transforms that change the type.
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> augment = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5));
 * }</pre>
 */
public final class Compose<T> implements Transform<T, T> {
    private final List<Transform<? super T, ? extends T>> transforms;

    public Compose(List<? extends Transform<? super T, ? extends T>> transforms) {
        this.transforms = List.copyOf(transforms);
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, into an immutable list
    public static <T> Compose<T> of(Transform<? super T, ? extends T>... transforms) {
        return new Compose<T>(List.of(transforms));
    }

    public List<Transform<? super T, ? extends T>> transforms() {
        return transforms;
    }

    @Override
    public T apply(T input, Generator gen) {
        T x = input;
        for (Transform<? super T, ? extends T> t : transforms) x = t.apply(x, gen);
        return x;
    }
}

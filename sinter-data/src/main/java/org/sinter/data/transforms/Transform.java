package org.sinter.data.transforms;

import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Example;

/**
 * A function applied to each sample, possibly random (torchvision's transforms). Random transforms
 * draw only from the generator they are given, so a seed fixes their output; the data loader hands
 * each sample its own generator (see {@link org.sinter.data.Dataset#get(int, Generator)}).
 *
 * <pre>{@code
 * Transform<Image, Tensor> train = new ToTensor()
 *         .andThen(new RandomCrop(28, 4))
 *         .andThen(new RandomHorizontalFlip(0.5))
 *         .andThen(new Normalize(new double[] {0.1307}, new double[] {0.3081}));
 * Tensor x = train.apply(image, new Generator(7));   // the same x for the same seed
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface Transform<I, O> {
    O apply(I input, Generator gen);

    /** Applies with the global generator (seeded by {@code Sinter.manualSeed}). */
    default O apply(I input) {
        return apply(input, Generator.global());
    }

    /** This transform, then {@code next}, both drawing from the same generator. */
    default <R> Transform<I, R> andThen(Transform<? super O, ? extends R> next) {
        return (x, gen) -> next.apply(apply(x, gen), gen);
    }

    static <T> Transform<T, T> identity() {
        return (x, gen) -> x;
    }

    /** Lifts a tensor transform to {@link Example}s: transforms the input, keeps the target. */
    static Transform<Example, Example> onInput(Transform<? super Tensor, ? extends Tensor> t) {
        return (e, gen) -> e.withInput(t.apply(e.input(), gen));
    }
}

package org.sinter.rl.spaces;

import org.sinter.Generator;

/** A set of observations or actions (Gymnasium's {@code Space}). */
public interface Space<T> {
    /** A uniformly random element (for a bounded {@link Box}), drawn from {@code generator}. */
    T sample(Generator generator);

    boolean contains(T x);
}

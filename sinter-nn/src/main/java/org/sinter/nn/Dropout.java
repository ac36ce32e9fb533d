package org.sinter.nn;

import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Dropout: in training zeroes each element with probability {@code p} and scales the others by
 * {@code 1/(1-p)}; in eval the identity. Draws from the global generator unless given one.
 * Prints {@code Dropout(p=0.5, inplace=False)}.
 */
public final class Dropout extends Module {
    public final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** Dropout drawing its masks from {@code generator} (null: the global one). */
    public Dropout(double p, Generator generator) {
        LayerArgs.probability("Dropout", p);
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, training, generator == null ? Generator.global() : generator);
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}

package org.sinter.cli.models;

import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** A 784-512-512-10 perceptron with ReLU (logits out, for the cross-entropy loss). */
public final class Mlp extends Sequential {
    public Mlp() {
        super(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
    }
}

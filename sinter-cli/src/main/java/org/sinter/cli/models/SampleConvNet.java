package org.sinter.cli.models;

import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;

/**
 * The small CNN of Opacus' and TF Privacy's DP-SGD MNIST examples ({@code SampleConvNet}): two
 * strided convolutions with tanh and 2x2 max-pooling of stride 1, then 512-32-10 (logits out).
 * Small on purpose: DP-SGD's noise grows with the parameter count, and tanh keeps activations
 * bounded after clipping.
 */
public final class SampleConvNet extends Sequential {
    public SampleConvNet() {
        super(new Conv2d(1, 16, 8, 2, 3), new Tanh(), new MaxPool2d(2, 1, 0),
                new Conv2d(16, 32, 4, 2, 0), new Tanh(), new MaxPool2d(2, 1, 0), new Flatten(),
                new Linear(32 * 4 * 4, 32), new Tanh(), new Linear(32, 10));
    }
}

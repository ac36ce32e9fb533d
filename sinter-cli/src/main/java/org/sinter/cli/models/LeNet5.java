package org.sinter.cli.models;

import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * LeNet-5 for 28x28 inputs (the first convolution pads by 2, as for LeCun's 32x32), with ReLU
 * and max-pooling in place of the original tanh and sub-sampling (logits out).
 */
public final class LeNet5 extends Sequential {
    public LeNet5() {
        super(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }
}

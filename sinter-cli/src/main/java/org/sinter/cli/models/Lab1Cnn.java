package org.sinter.cli.models;

import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * The course's Lab 1 network (PyTorch's MNIST example): two 3x3 convolutions, max-pooling,
 * dropout, two linear layers, log-softmax output for the NLL loss.
 */
public final class Lab1Cnn extends Sequential {
    public Lab1Cnn() {
        super(new Conv2d(1, 32, 3), new ReLU(),
                new Conv2d(32, 64, 3), new ReLU(),
                new MaxPool2d(2), new Dropout(0.25), new Flatten(),
                new Linear(9216, 128), new ReLU(), new Dropout(0.5),
                new Linear(128, 10), new LogSoftmax(1));
    }
}

package org.sinter.automl.nas;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.datasets.ImageDataset;
import org.sinter.nn.Module;

/**
 * The three splits a NAS run uses, as whole normalised tensors (small enough to hold; slicing batches out of them costs
 * nothing per image): {@code train} (network weights), {@code validation} (DARTS' architecture step; carved from the
 * training set, after {@code train}) and {@code test} (only for the final accuracies).
 */
public record NasData(Tensor trainImages, Tensor trainLabels, Tensor validationImages, Tensor validationLabels,
                      Tensor testImages, Tensor testLabels) {
    /** Fashion-MNIST's training-set pixel statistics. */
    public static final double MEAN = 0.2860, STD = 0.3530;

    public static NasData of(ImageDataset train, ImageDataset test, int trainSize, int validationSize, int testSize) {
        if (trainSize < 1 || validationSize < 0 || testSize < 1)
            throw new IllegalArgumentException("nas data: --train and --test must be >= 1 and --validation >= 0, got "
                    + trainSize + ", " + validationSize + ", " + testSize);
        if (trainSize + validationSize > train.size())
            throw new IllegalArgumentException("nas data: --train " + trainSize + " + --validation " + validationSize + " exceed the "
                    + train.size() + " training images of " + train.name());
        if (testSize > test.size())
            throw new IllegalArgumentException("nas data: --test " + testSize + " exceeds the " + test.size() + " test images of " + test.name());
        Tensor x = normalise(train.inputs()), y = train.targets(), tx = normalise(test.inputs()), ty = test.targets();
        return new NasData(x.narrow(0, 0, trainSize), y.narrow(0, 0, trainSize),
                x.narrow(0, trainSize, validationSize), y.narrow(0, trainSize, validationSize),
                tx.narrow(0, 0, testSize), ty.narrow(0, 0, testSize));
    }

    private static Tensor normalise(Tensor images) {
        return images.sub(MEAN).div(STD).contiguous();
    }

    /** The training and validation images together (retraining a derived cell uses both, as DARTS retrains on all of them). */
    public NasData mergedForRetraining() {
        return new NasData(Tensor.cat(List.of(trainImages, validationImages), 0), Tensor.cat(List.of(trainLabels, validationLabels), 0),
                validationImages.narrow(0, 0, 0), validationLabels.narrow(0, 0, 0), testImages, testLabels);
    }

    /** One epoch's shuffled batches (the last one may be smaller) of {@code images} and {@code labels}. */
    public static List<Tensor[]> batches(Tensor images, Tensor labels, int batchSize, Generator generator) {
        int n = images.size(0);
        Tensor order = generator.randperm(n);
        List<Tensor[]> out = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            Tensor index = order.narrow(0, start, Math.min(batchSize, n - start));
            out.add(new Tensor[] {images.indexSelect(0, index), labels.indexSelect(0, index)});
        }
        return out;
    }

    /** Accuracy of {@code model} (in eval mode) on {@code images}. */
    public static double accuracy(Module model, Tensor images, Tensor labels) {
        boolean training = model.isTraining();
        model.eval();
        long correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (int start = 0; start < images.size(0); start += 500) {
                int len = Math.min(500, images.size(0) - start);
                correct += (long) model.forward(images.narrow(0, start, len)).argmax(1, false).eq(labels.narrow(0, start, len)).sum().item();
            }
        }
        model.train(training);
        return correct / (double) images.size(0);
    }
}

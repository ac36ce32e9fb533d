package org.sinter.cli.train;

import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.cli.io.InputFiles;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Image;
import org.sinter.data.datasets.FashionMNIST;
import org.sinter.data.datasets.ImageDataset;
import org.sinter.data.datasets.MNIST;
import org.sinter.data.transforms.Normalize;
import org.sinter.data.transforms.ToTensor;
import org.sinter.data.transforms.Transform;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/** Image classification on MNIST or Fashion-MNIST, inputs normalized with the dataset's mean and std. */
public final class ImageTask implements Task {
    private final ModelSpec spec;
    private final ImageDataset train, test;
    private final String datasetName;

    public ImageTask(ModelSpec spec, String dataset, java.nio.file.Path dataDir) throws java.io.IOException {
        this.spec = spec;
        this.datasetName = dataset;
        if (dataDir != null) checkDataDir(dataDir);
        ImageDataset tr, te;
        double mean, std;
        switch (dataset) {
            case "mnist" -> {
                tr = dataDir == null ? MNIST.train() : MNIST.load(dataDir, true);
                te = dataDir == null ? MNIST.test() : MNIST.load(dataDir, false);
                mean = MNIST.MEAN;
                std = MNIST.STD;
            }
            case "fashion-mnist" -> {
                FashionMNIST f = dataDir == null ? FashionMNIST.loadInstalled() : FashionMNIST.load(dataDir);
                tr = f.train();
                te = f.test();
                mean = 0.2860;
                std = 0.3530;
            }
            default -> throw new IllegalArgumentException("unknown image dataset '" + dataset + "' (mnist, fashion-mnist)");
        }
        Transform<Image, Tensor> t = new ToTensor().andThen(new Normalize(new double[] {mean}, new double[] {std}));
        train = tr.withTransform(t);
        test = te.withTransform(t);
    }

    /** The directory and its four IDX files, checked before any is read (the names are MNIST's, shared by Fashion-MNIST). */
    private static void checkDataDir(java.nio.file.Path dir) throws java.io.IOException {
        InputFiles.directory(dir, "--data-dir");
        for (String f : FashionMNIST.FILES) InputFiles.regularFile(dir.resolve(f), "--data-dir file", InputFiles.DATA_LIMIT);
    }

    @Override
    public Module createModel() {
        return spec.create();
    }

    @Override
    public DataLoader<Batch> trainLoader(Generator generator, int batchSize, int workers) {
        return DataLoader.builder(train).batchSize(batchSize).shuffle(true).generator(generator).numWorkers(workers).build();
    }

    @Override
    public DataLoader<Batch> testLoader(int batchSize, int workers) {
        return DataLoader.builder(test).batchSize(batchSize).numWorkers(workers).build();
    }

    @Override
    public Tensor loss(Tensor output, Tensor target) {
        return spec.logProbabilities ? F.nllLoss(output, target) : F.crossEntropy(output, target);
    }

    @Override
    public String describe() {
        return datasetName + ": " + train.size() + " training and " + test.size() + " test images";
    }
}

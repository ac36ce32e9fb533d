package org.sinter.automl.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.automl.manager.TrialProcess;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.Subset;
import org.sinter.data.datasets.FashionMNIST;
import org.sinter.data.transforms.Normalize;
import org.sinter.data.transforms.ToTensor;
import org.sinter.data.transforms.Transform;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.RMSprop;
import org.sinter.optim.SGD;

/**
 * Lab 8's trial program: trains the model its parameters describe on Fashion-MNIST and reports validation accuracy
 * after every epoch, run as a process by {@code sinter hpo run} (search space {@code examples/hpo/lab8-space.json}):
 * lr, weight decay, batch size, optimizer (adam, rmsprop, sgd with momentum 0.9), model (an MLP of some width or a
 * two-convolution CNN of some channels, each with dropout), gradient-norm clipping (0: none) and cutout (0: none).
 *
 * <p>It trains up to {@code $SINTER_BUDGET} epochs when a multi-fidelity scheduler runs it (else {@code --epochs}),
 * saving a full checkpoint (weights, optimizer state, generator) in {@code $SINTER_CHECKPOINT_DIR} after each epoch
 * and resuming from it, so a promoted configuration trains only its extra epochs. Training uses the first
 * {@code --train} images of the training set, validation the last {@code --validation} (the test set is untouched).
 *
 * <p>Usage: {@code FashionMnistTrial [--epochs E] [--train N] [--validation N] [--data DIR]}.
 */
public final class FashionMnistTrial {
    private FashionMnistTrial() {}

    static final double MEAN = 0.2860, STD = 0.3530; // Fashion-MNIST's training-set pixel statistics

    public static void main(String[] args) throws Exception {
        int epochs = 3, trainSize = 6000, validationSize = 2000;
        Path data = FashionMNIST.DEBIAN_DIR;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(require(args[i], value));
                case "--train" -> trainSize = Integer.parseInt(require(args[i], value));
                case "--validation" -> validationSize = Integer.parseInt(require(args[i], value));
                case "--data" -> data = Path.of(require(args[i], value));
                default -> throw new IllegalArgumentException("FashionMnistTrial: unknown argument '" + args[i]
                        + "'; expected --epochs, --train, --validation or --data");
            }
            i++;
        }
        int budget = (int) Math.round(TrialProcess.budget().orElse(epochs));
        double accuracy = train(TrialProcess.parameters(), budget, TrialProcess.checkpointDirectory(), FashionMNIST.load(data),
                trainSize, validationSize, TrialProcess.trialId());
        TrialProcess.reportFinal(accuracy);
    }

    private static String require(String flag, String value) {
        if (value == null) throw new IllegalArgumentException("FashionMnistTrial: " + flag + " needs a value");
        return value;
    }

    /**
     * Trains to epoch {@code budget} (from the checkpoint in {@code checkpoints}, if any), reporting validation accuracy
     * per epoch trained here, and returns the accuracy at {@code budget}.
     */
    public static double train(Map<String, Object> p, int budget, Optional<Path> checkpoints, FashionMNIST data,
                               int trainSize, int validationSize, long seed) throws Exception {
        int n = data.train().size();
        if (trainSize + validationSize > n)
            throw new IllegalArgumentException("FashionMnistTrial: --train " + trainSize + " + --validation " + validationSize
                    + " exceed the " + n + " training images");
        Transform<org.sinter.data.Image, Tensor> eval = new ToTensor().andThen(new Normalize(new double[] {MEAN}, new double[] {STD}));
        int cutout = ((Number) p.get("cutout")).intValue();
        Transform<org.sinter.data.Image, Tensor> augment = cutout > 0 ? eval.andThen(new Cutout(cutout)) : eval;
        Dataset<Example> train = Subset.range(data.train().withTransform(augment), 0, trainSize);
        Dataset<Example> validation = Subset.range(data.train().withTransform(eval), n - validationSize, n);

        Sinter.manualSeed(seed);
        Module model = model(asMap(p.get("model")));
        double lr = ((Number) p.get("lr")).doubleValue(), wd = ((Number) p.get("weight_decay")).doubleValue();
        Optimizer optimizer = switch ((String) p.get("optimizer")) {
            case "adam" -> new Adam(model.parameters(), Adam.options().lr(lr).weightDecay(wd));
            case "rmsprop" -> new RMSprop(model.parameters(), RMSprop.options().lr(lr).weightDecay(wd));
            case "sgd" -> new SGD(model.parameters(), SGD.options().lr(lr).momentum(0.9).weightDecay(wd));
            default -> throw new IllegalArgumentException("FashionMnistTrial: unknown optimizer '" + p.get("optimizer") + "'");
        };
        double clip = ((Number) p.get("grad_clip")).doubleValue();
        int batchSize = ((Number) p.get("batch_size")).intValue();

        Path file = checkpoints.map(d -> d.resolve("checkpoint.safetensors")).orElse(null);
        int start = 0;
        if (file != null && Files.isRegularFile(file)) {
            Checkpoint c = Checkpoint.load(file);
            model.loadStateDict(c.modelState(), true);
            c.restore(optimizer, null, Generator.global());
            start = (int) c.epoch();
            if (start > budget)
                throw new IllegalStateException("FashionMnistTrial: " + file + " is at epoch " + start + ", beyond the budget " + budget);
            System.out.println("resumed from " + file + " at epoch " + start);
        }
        var loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).build();
        double accuracy = start == budget ? accuracy(model, validation) : Double.NaN;
        for (int epoch = start + 1; epoch <= budget; epoch++) {
            model.train();
            for (Batch batch : loader) {
                optimizer.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                loss.backward();
                if (clip > 0) ClipGrad.clipGradNorm_(model.parameters(), clip, 2, false);
                optimizer.step();
            }
            accuracy = accuracy(model, validation);
            if (file != null)
                Checkpoint.builder().model(model.stateDict()).optimizer(optimizer).rng(Generator.global()).epoch(epoch).build().save(file);
            TrialProcess.reportIntermediate(accuracy);
        }
        return accuracy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("FashionMnistTrial: 'model' must be a nested choice, got " + o);
        return (Map<String, Object>) m;
    }

    /** The model a {@code model} choice describes: {@code {"_name": "mlp", "width", "dropout"}} or {@code {"_name": "cnn", "channels", "dropout"}}. */
    static Module model(Map<String, Object> m) {
        double dropout = ((Number) m.get("dropout")).doubleValue();
        return switch ((String) m.get("_name")) {
            case "mlp" -> {
                int width = ((Number) m.get("width")).intValue();
                yield new Sequential(new Flatten(), new Linear(784, width), new ReLU(), new Dropout(dropout), new Linear(width, 10));
            }
            case "cnn" -> {
                int c = ((Number) m.get("channels")).intValue();
                yield new Sequential(new Conv2d(1, c, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                        new Conv2d(c, 2 * c, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                        new Flatten(), new Dropout(dropout), new Linear(2 * c * 7 * 7, 10));
            }
            default -> throw new IllegalArgumentException("FashionMnistTrial: unknown model '" + m.get("_name") + "'; expected mlp or cnn");
        };
    }

    static double accuracy(Module model, Dataset<Example> data) {
        model.eval();
        long correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch batch : DataLoader.builder(data).batchSize(500).build())
                correct += (long) model.forward(batch.input()).argmax(1, false).eq(batch.target()).sum().item();
        }
        return correct / (double) data.size();
    }
}

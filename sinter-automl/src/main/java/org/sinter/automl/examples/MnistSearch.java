package org.sinter.automl.examples;

import java.nio.file.Path;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.automl.assessor.AshaAssessor;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.experiment.Experiment;
import org.sinter.automl.experiment.ExperimentResult;
import org.sinter.automl.experiment.Trial;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.Subset;
import org.sinter.data.datasets.MNIST;
import org.sinter.data.transforms.Normalize;
import org.sinter.data.transforms.ToTensor;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.RMSprop;
import org.sinter.optim.SGD;

/**
 * Tunes an MLP on MNIST with TPE and ASHA: learning rate, hidden width and optimizer (a slice of
 * Lab 8's search space). Each trial trains on {@code trainSize} training images and reports
 * validation accuracy on the next {@code validationSize} after every epoch.
 * Usage: {@code MnistSearch JOURNAL [trials] [epochs] [trainSize]}.
 */
public final class MnistSearch {
    private MnistSearch() {}

    public static final String SPACE = """
            {"lr": {"_type": "loguniform", "_value": [0.0001, 0.1]},
             "hidden": {"_type": "choice", "_value": [32, 64, 128]},
             "optimizer": {"_type": "choice", "_value": ["adam", "rmsprop", "sgd"]}}
            """;

    public static ExperimentResult run(Path journal, int trials, int epochs, int trainSize, int validationSize, int concurrency)
            throws Exception {
        SearchSpace space = SearchSpaceJson.parse(SPACE);
        var toTensor = new ToTensor().andThen(new Normalize(new double[] {MNIST.MEAN}, new double[] {MNIST.STD}));
        Dataset<Example> all = MNIST.train().withTransform(toTensor);
        Dataset<Example> train = Subset.range(all, 0, trainSize);
        Dataset<Example> validation = Subset.range(all, trainSize, trainSize + validationSize);
        return Experiment.builder()
                .searchSpace(space).tuner(new TpeTuner(space, 1, Math.max(1, trials / 3), 24))
                .assessor(epochs > 1 ? new AshaAssessor(1, epochs, 3) : null)
                .trialFunction(trial -> trainAndValidate(trial, train, validation, epochs))
                .direction(Direction.MAXIMIZE).maxTrials(trials).concurrency(concurrency).journal(journal)
                .build().run();
    }

    private static void trainAndValidate(Trial trial, Dataset<Example> train, Dataset<Example> validation, int epochs) {
        int hidden = trial.getInt("hidden");
        double lr = trial.getDouble("lr");
        var model = new Sequential(new Flatten(), new Linear(784, hidden), new ReLU(), new Linear(hidden, 10));
        Optimizer optimizer = switch (trial.getString("optimizer")) {
            case "adam" -> new Adam(model.parameters(), lr);
            case "rmsprop" -> new RMSprop(model.parameters(), RMSprop.options().lr(lr));
            case "sgd" -> new SGD(model.parameters(), lr);
            default -> throw new IllegalArgumentException("unknown optimizer " + trial.getString("optimizer"));
        };
        var loader = DataLoader.builder(train).batchSize(64).shuffle(true).build();
        double accuracy = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            for (Batch batch : loader) {
                optimizer.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                loss.backward();
                optimizer.step();
            }
            accuracy = accuracy(model, validation);
            trial.reportIntermediate(accuracy);
        }
        trial.reportFinal(accuracy);
    }

    private static double accuracy(Sequential model, Dataset<Example> data) {
        model.eval();
        long correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch batch : DataLoader.builder(data).batchSize(500).build()) {
                correct += (long) model.forward(batch.input()).argmax(1, false).eq(batch.target()).sum().item();
            }
        }
        return correct / (double) data.size();
    }

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(args.length > 0 ? args[0] : "runs/hpo/mnist.jsonl");
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int trainSize = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        long start = System.nanoTime();
        ExperimentResult result = run(journal, trials, epochs, trainSize, 5_000, 2);
        result.trials().forEach(t -> System.out.printf("trial %2d %-13s %.4f %s%n", t.id(), t.status(), t.value(), t.parameters()));
        System.out.printf("best: %s in %.1f s%n", result.best().orElseThrow(), (System.nanoTime() - start) / 1e9);
    }
}

package org.sinter.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.cli.train.ImageTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sinter eval}: test-set loss and accuracy of a trained model. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a trained model on its test set.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model-file", defaultValue = "runs/lab1cnn/model.safetensors", description = "trained model (default: ${DEFAULT-VALUE})")
    Path modelFile;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Override
    public Integer call() throws Exception {
        ModelFiles.Loaded l = ModelFiles.load(modelFile);
        org.sinter.cli.train.Task task = l.text() != null ? l.text() : new ImageTask(l.spec(), dataset, null);
        double[] r = org.sinter.cli.train.Evaluation.evaluate(task, l.model());
        System.out.printf(Locale.ROOT, "%s on %s: test loss %.4f, accuracy %.2f%%%n", l.spec().id,
                l.text() != null ? "the validation text" : dataset, r[0], 100 * r[1]);
        return 0;
    }
}

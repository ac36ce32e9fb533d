package org.sinter.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.cli.train.ImageTask;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sinter eval}: test-set loss and accuracy of a trained model. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a trained model on its test set.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model-file", defaultValue = "runs/lab1cnn/model.safetensors", description = "trained model or checkpoint (default: ${DEFAULT-VALUE})")
    Path modelFile;

    @Option(names = "--dataset", description = "mnist or fashion-mnist (default: mnist); for charlm a text file (default: the text it was trained on)")
    String dataset;

    @Option(names = "--data-dir", description = "read the image dataset's IDX files from this directory")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        ModelFiles.Loaded l = ModelFiles.load(modelFile);
        Task task;
        String on;
        if (l.isText()) {
            // The text the model was trained on (recorded in the file), unless --dataset names another.
            String text = dataset != null ? dataset : l.dataset() != null ? l.dataset() : TextTask.BUNDLED;
            Path file = text.equals(TextTask.BUNDLED) ? null : Path.of(text);
            TextTask tt = TextTask.forModel(l.spec(), l.vocab(), file);
            task = tt;
            on = "the validation part of " + (file == null ? "the bundled King James text" : file);
        } else {
            String ds = dataset != null ? dataset : "mnist";
            task = new ImageTask(l.spec(), ds, dataDir);
            on = ds;
        }
        double[] r = org.sinter.cli.train.Evaluation.evaluate(task, l.model());
        System.out.printf(Locale.ROOT, "%s on %s: test loss %.4f, accuracy %.2f%%%n", l.spec().id, on, r[0], 100 * r[1]);
        return 0;
    }
}

package org.sinter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sinter.nn.io.SafeTensors;
import org.sinter.privacy.adversarial.RobustTrainer;
import org.sinter.privacy.examples.RobustMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter attack train-robust}: adversarial training on MNIST pixels in [0, 1] (Wong, Rice and
 * Kolter's CNN and recipe by default: FGSM from a random start, α = 1.25ε, triangular lr), early
 * stopping on a held-out PGD accuracy (PGD-40, one start, by default), then clean accuracy on the 10,000 test images and robust
 * accuracy under PGD-40 with restarts. {@code --attack-steps k > 1} trains against PGD-k (Madry).
 */
@Command(name = "train-robust", mixinStandardHelpOptions = true,
        description = "Adversarially train a small CNN on MNIST (FGSM-RS or PGD-k) and report clean and PGD-40 robust test accuracy.")
final class TrainRobustCommand implements Callable<Integer> {
    @Option(names = "--eps", defaultValue = "0.3", description = "L∞ budget on pixels in [0, 1] (default: ${DEFAULT-VALUE})")
    double eps;
    @Option(names = "--epochs", defaultValue = "10", description = "epochs over the 59,000 training images (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--attack-steps", defaultValue = "1", description = "1: FGSM from a random start (α = 1.25ε); k > 1: PGD-k (α = 2.5ε/k) (default: ${DEFAULT-VALUE})")
    int attackSteps;
    @Option(names = "--lr", defaultValue = "0.005", description = "peak of Adam's triangular learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--ramp-epochs", defaultValue = "1", description = "epochs over which the training ε ramps up from 0 (default: ${DEFAULT-VALUE})")
    double rampEpochs;
    @Option(names = "--eval-images", defaultValue = "10000", description = "test images attacked by PGD-40 at the end (default: ${DEFAULT-VALUE})")
    int evalImages;
    @Option(names = "--restarts", defaultValue = "3", description = "PGD-40 random restarts at the end (default: ${DEFAULT-VALUE})")
    int restarts;
    @Option(names = "--val-steps", defaultValue = "40", description = "steps of the held-out PGD attack that picks the kept epoch (α = 2.5ε/steps) (default: ${DEFAULT-VALUE})")
    int valSteps;
    @Option(names = "--val-restarts", defaultValue = "1", description = "random starts of that held-out attack (default: ${DEFAULT-VALUE})")
    int valRestarts;
    @Option(names = "--max-steps", defaultValue = "0", description = "cap on steps per epoch, 0 for whole epochs (smoke runs) (default: ${DEFAULT-VALUE})")
    int maxSteps;
    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", description = "write the kept model's weights (safetensors, pixels in [0, 1]) here")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (evalImages < 1 || restarts < 1) throw new UsageException("--eval-images and --restarts must be >= 1");
        if (valSteps < 1 || valRestarts < 1) throw new UsageException("--val-steps and --val-restarts must be >= 1");
        if (maxSteps < 0) throw new UsageException("--max-steps must be >= 0, got " + maxSteps);
        if (out != null && out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new UsageException("--out " + out + ": directory " + out.getParent() + " does not exist");
        }
        RobustTrainer.Options options;
        try {
            options = new RobustTrainer.Options(eps, attackSteps, lr, epochs, rampEpochs, maxSteps);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        RobustMnist.Outcome o = RobustMnist.run(options, valSteps, valRestarts, evalImages, restarts, seed, System.out::println);
        if (out != null) {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            SafeTensors.save(o.model().stateDict(), tmp, Map.of("model", "wong-mnist-cnn", "epsilon", Double.toString(eps),
                    "clean_accuracy", String.format(Locale.ROOT, "%.4f", o.clean()), "robust_accuracy_pgd40",
                    String.format(Locale.ROOT, "%.4f", o.robust()), "kept_epoch", Integer.toString(o.training().best().epoch())));
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("wrote " + out);
        }
        return 0;
    }
}

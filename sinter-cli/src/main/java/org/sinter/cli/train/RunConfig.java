package org.sinter.cli.train;

import java.nio.file.Path;

/**
 * Everything a training run needs, resolved from the command line and the model's defaults.
 *
 * @param maxStepsPerEpoch stop each epoch after this many batches (0: the whole epoch); for quick runs
 * @param checkpointEvery write a checkpoint every this many steps (0: only at epoch ends)
 * @param overwrite replace a run already in {@code out} (without it, a fresh run there is refused)
 * @param compile run each step's forward and backward as one compiled graph (sinter-compiler)
 * @param device where the model and each batch live ({@code cpu}, or {@code cuda:i} with the sinter-cuda module)
 * @param given the hyper-parameters the user gave explicitly, which a resumed run must agree with
 */
public record RunConfig(ModelSpec model, String dataset, Path dataDir, Path textFile, int epochs, int batchSize, double lr,
                        String optimizer, double gamma, int threads, long seed, boolean resume, Path out, boolean profile,
                        int workers, int checkpointEvery, int maxStepsPerEpoch, boolean overwrite, boolean compile,
                        org.sinter.Device device, Given given) {
    /** Options as typed (null: not given, the model's default or the resumed run's value applies). */
    public record Given(Integer batchSize, Double lr, String optimizer, Double gamma, String dataset, Path textFile) {
        public static final Given NONE = new Given(null, null, null, null, null, null);
    }

    /** This configuration with the resumed run's hyper-parameters in place of the model's defaults. */
    RunConfig withRun(int batchSize, double lr, String optimizer, double gamma, String dataset, Path textFile) {
        return new RunConfig(model, dataset, dataDir, textFile, epochs, batchSize, lr, optimizer, gamma, threads, seed, resume, out,
                profile, workers, checkpointEvery, maxStepsPerEpoch, overwrite, compile, device, given);
    }
}

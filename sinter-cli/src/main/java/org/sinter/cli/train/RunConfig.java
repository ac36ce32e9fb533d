package org.sinter.cli.train;

import java.nio.file.Path;

/**
 * Everything a training run needs, resolved from the command line and the model's defaults.
 *
 * @param maxStepsPerEpoch stop each epoch after this many batches (0: the whole epoch); for quick runs
 * @param checkpointEvery write a checkpoint every this many steps (0: only at epoch ends)
 */
public record RunConfig(ModelSpec model, String dataset, Path dataDir, Path textFile, int epochs, int batchSize, double lr,
                        String optimizer, double gamma, int threads, long seed, boolean resume, Path out, boolean profile,
                        int workers, int checkpointEvery, int maxStepsPerEpoch) {}

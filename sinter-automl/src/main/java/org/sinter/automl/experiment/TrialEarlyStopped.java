package org.sinter.automl.experiment;

/**
 * Thrown out of {@link Trial#reportIntermediate} when the assessor stops the trial, so the user's
 * training loop unwinds at once; a trial runs on its own thread, so an exception is how a stop
 * reaches it without the user polling a flag.
 */
public final class TrialEarlyStopped extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    TrialEarlyStopped(int trialId, int step) { // only Trial throws it: the runner reads the last intermediate result
        super("trial " + trialId + " stopped early by the assessor after " + step + " intermediate results", null, false, false);
    }
}

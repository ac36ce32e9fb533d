package org.sinter.automl.fidelity;

import java.util.Map;

/**
 * One unit of multi-fidelity work: train configuration {@code config} (with {@code parameters}) up to
 * {@code budget} (epochs, say) and report its loss there. {@code rung} is the successive-halving
 * level; a promoted configuration comes back with the same id at a higher rung and budget (a trial
 * that checkpoints can resume from its lower-rung run, as NNI's TRIAL_BUDGET trials do).
 */
public record Job(int config, Map<String, Object> parameters, int rung, double budget) {}

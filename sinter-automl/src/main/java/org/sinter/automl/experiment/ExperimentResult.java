package org.sinter.automl.experiment;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every finished trial of an experiment, resumed runs included, in trial-id order. */
public record ExperimentResult(Direction direction, List<TrialRecord> trials) {
    public ExperimentResult {
        trials = trials.stream().sorted(Comparator.comparingInt(TrialRecord::id)).toList();
    }

    /** The best trial that ran to completion (early-stopped trials' values are partial). */
    public Optional<TrialRecord> best() {
        return trials.stream().filter(t -> t.status() == TrialStatus.SUCCEEDED)
                .min(Comparator.comparingDouble(t -> direction.toLoss(t.value())));
    }

    public long count(TrialStatus status) {
        return trials.stream().filter(t -> t.status() == status).count();
    }
}

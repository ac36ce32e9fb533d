package org.sinter.automl.manager;

import java.util.List;
import org.sinter.automl.experiment.Direction;

/**
 * What identifies an experiment in the store: a restart with the same name must bring the same
 * search space (NNI JSON, canonical), tuner, seed, direction and trial command, or it is refused.
 * {@code maxTrials} may grow on a restart (run more trials), never shrink below what has started.
 */
public record ExperimentSpec(String name, String searchSpaceJson, String tuner, long seed, Direction direction,
                             List<String> command, int maxTrials) {
    public ExperimentSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}"))
            throw new IllegalArgumentException("experiment name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("experiment '" + name + "' needs a trial command");
        if (maxTrials < 1) throw new IllegalArgumentException("experiment '" + name + "': maxTrials must be >= 1, got " + maxTrials);
        command = List.copyOf(command);
    }
}

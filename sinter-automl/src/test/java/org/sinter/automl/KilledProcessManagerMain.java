package org.sinter.automl;

import java.nio.file.Path;
import java.util.List;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.ProcessExperiment;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.TpeTuner;

/**
 * The manager {@link ProcessKillNineTest} runs in a child JVM and kills: 40 TPE trials, 3 at a time,
 * each a Python process reporting 3 intermediate results; args: database, trial script.
 */
public final class KilledProcessManagerMain {
    static final int TRIALS = 40;

    public static void main(String[] args) throws Exception {
        var space = ProcessExperimentTest.SPACE;
        var spec = new ExperimentSpec("killed", SearchSpaceJson.toJson(space).toString(), "tpe", 7, Direction.MINIMIZE,
                List.of("/usr/bin/python3", args[1]), TRIALS);
        try (ExperimentStore store = ExperimentStore.open(Path.of(args[0]))) {
            ProcessExperiment.builder().store(store).spec(spec).tuner(new TpeTuner(space, 7)).concurrency(3).maxRetries(0).build().run();
        }
    }
}

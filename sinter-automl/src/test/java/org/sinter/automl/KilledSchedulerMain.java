package org.sinter.automl;

import java.nio.file.Path;
import org.sinter.automl.fidelity.Schedulers;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.ProcessExperiment;

/**
 * The manager {@link ProcessSchedulerKillNineTest} runs in a child JVM and kills: ASHA (TPE sampler, budgets 1-9,
 * eta 3, {@link #CONFIGS} configurations), one job at a time, each a Python trial resuming from its configuration's
 * checkpoint; args: database, trial script, checkpoint directory.
 */
public final class KilledSchedulerMain {
    static final int CONFIGS = 12;
    static final Schedulers.Settings SETTINGS = new Schedulers.Settings("asha", "tpe", 1, 9, 3, CONFIGS);

    public static void main(String[] args) throws Exception {
        var spec = ProcessMultiFidelityTest.spec("killed-asha", SETTINGS, TrialScripts.python(Path.of(args[1])));
        try (ExperimentStore store = ExperimentStore.open(Path.of(args[0]))) {
            ProcessExperiment.builder().store(store).spec(spec).scheduler(Schedulers.create(SETTINGS, ProcessExperimentTest.SPACE, 3))
                    .concurrency(1).checkpointDirectory(Path.of(args[2])).build().run();
        }
    }
}

package org.sinter.automl;

import java.nio.file.Path;
import org.sinter.automl.experiment.Experiment;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.TpeTuner;

/** The experiment {@link KillNineResumeTest} runs in a child JVM and kills: 40 trials, 3 at a time, on one journal. */
public final class KilledExperimentMain {
    static final int TRIALS = 40;

    public static void main(String[] args) throws Exception {
        SearchSpace space = SearchSpace.builder().uniform("x", -5, 10).uniform("y", 0, 15).build();
        Experiment.builder().searchSpace(space).tuner(new TpeTuner(space, 7))
                .trialFunction(trial -> {
                    for (int step = 0; step < 4; step++) {
                        Thread.sleep(30);
                        trial.reportIntermediate(step);
                    }
                    trial.reportFinal(TpeTunerTest.branin(trial.parameters()));
                })
                .maxTrials(TRIALS).concurrency(3).journal(Path.of(args[0])).build().run();
    }
}

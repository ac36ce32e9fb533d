package org.sinter.rl;

/** What every trainer's progress report has: environment steps, finished episodes, the recent mean return, throughput. */
public interface TrainingProgress {
    long steps();

    int episodes();

    double meanReturn();

    double stepsPerSecond();
}

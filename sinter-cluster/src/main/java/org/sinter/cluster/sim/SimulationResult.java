package org.sinter.cluster.sim;

import java.util.List;

/**
 * What one replay produced: every job's life, the time integrals the metrics need, the curves.
 *
 * @param busyGpuSeconds       GPU-seconds spent running jobs
 * @param fragmentedGpuSeconds GPU-seconds free while the smallest waiting job could not be placed on them
 * @param firstArrival         the clock when the first job arrived
 * @param lastFinish           the clock when the last job finished
 * @param events               events processed (the simulator's cost grows with these)
 * @param vcViolationSeconds   VC-seconds during which a virtual cluster was denied its guarantee (0 without VCs)
 * @param vcViolationPasses    scheduling passes that ended with some virtual cluster denied its guarantee
 * @param queuedSeconds        seconds during which some job waited
 * @param queuedBusyGpuSeconds GPU-seconds spent running jobs during those seconds (what is allocated when demand exceeds what fits)
 */
public record SimulationResult(String policy, String placement, int totalGpus, List<JobState> jobs,
                               double busyGpuSeconds, double fragmentedGpuSeconds, double firstArrival,
                               double lastFinish, long events, Timeline timeline, double vcViolationSeconds,
                               long vcViolationPasses, double queuedSeconds, double queuedBusyGpuSeconds) {
    public double makespan() {
        return lastFinish - firstArrival;
    }
}

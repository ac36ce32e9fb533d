package org.sinter.cluster.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.VirtualClusters;

/**
 * Measures how often virtual clusters are denied what they are guaranteed, the same way for every
 * policy. Each VC has a shadow private cluster of its guaranteed nodes ({@link BuddyCells}); each
 * of its jobs is placed there when it starts (if it fits: then it runs on the guarantee, else on
 * borrowed capacity) and leaves when it stops. After a scheduling pass, a VC is <b>in violation</b>
 * when one of its jobs waits although it would fit in that shadow: on a private cluster of its
 * guaranteed size, with its own running jobs where they are, it would have started. Counted as
 * VC-seconds in violation and as the number of passes that ended with some VC in violation (HiveD's
 * "VC safety" holds when both are zero).
 */
final class GuaranteeMonitor {
    private final Map<String, BuddyCells> shadows = new HashMap<>();
    private final Map<JobState, BuddyCells.Cell> onGuarantee = new HashMap<>();
    /** Per VC, its waiting jobs' GPU counts (count of each). */
    private final Map<String, TreeMap<Integer, Integer>> waitingSizes = new HashMap<>();
    private int violatingNow;
    private double violationVcSeconds;
    private long violationPasses;

    GuaranteeMonitor(VirtualClusters vcs, ClusterSpec spec) {
        vcs.checkFits(spec);
        vcs.guaranteedNodes().forEach((vc, n) -> shadows.put(vc, new BuddyCells(n, spec.gpusPerNode())));
    }

    void enqueued(JobState j) {
        waitingSizes.computeIfAbsent(j.job.vc(), k -> new TreeMap<>()).merge(j.job.gpus(), 1, Integer::sum);
    }

    void started(JobState j) {
        TreeMap<Integer, Integer> sizes = waitingSizes.get(j.job.vc());
        sizes.merge(j.job.gpus(), -1, Integer::sum);
        if (sizes.get(j.job.gpus()) == 0) sizes.remove(j.job.gpus());
        BuddyCells shadow = shadows.get(j.job.vc());
        BuddyCells.Cell c = shadow == null ? null : shadow.allocate(j.job.gpus());
        if (c != null) onGuarantee.put(j, c);
    }

    void stopped(JobState j) {
        BuddyCells.Cell c = onGuarantee.remove(j);
        if (c != null) shadows.get(j.job.vc()).release(c);
    }

    /** Time passes at the current violation level. */
    void advance(double dt) {
        violationVcSeconds += dt * violatingNow;
    }

    /** After a pass: which VCs are in violation now. */
    void afterPass() {
        int violating = 0;
        for (var e : waitingSizes.entrySet()) {
            BuddyCells shadow = shadows.get(e.getKey());
            if (shadow == null) continue;
            for (int gpus : e.getValue().keySet()) {
                if (shadow.fits(gpus)) {
                    violating++;
                    break;
                }
            }
        }
        violatingNow = violating;
        if (violating > 0) violationPasses++;
    }

    double violationVcSeconds() {
        return violationVcSeconds;
    }

    long violationPasses() {
        return violationPasses;
    }
}

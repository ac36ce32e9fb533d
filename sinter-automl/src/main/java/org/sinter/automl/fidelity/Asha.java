package org.sinter.automl.fidelity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sinter.automl.tuner.Tuner;

/**
 * Asynchronous successive halving (Li et al., MLSys 2020) with true promotion: rungs at budgets
 * {@code minBudget · η^k} up to {@code maxBudget}; whenever a worker asks for a job, the scheduler
 * looks from the top rung down for a configuration that is in the best {@code ⌊n/η⌋} of the
 * {@code n} results recorded at its rung and has not been promoted yet, and promotes it one rung up
 * (same configuration, η times the budget); only when there is none does it start a new
 * configuration (from {@code sampler}) at the bottom rung. It never waits for a rung to fill, so
 * workers never idle; the price is that early promotions are made on few results.
 */
public final class Asha implements MultiFidelityScheduler {
    private final Tuner sampler;
    private final double minBudget;
    private final double eta;
    private final int rungs;
    private final int maxConfigs;
    private final List<Map<String, Object>> configs = new ArrayList<>();
    private final List<List<double[]>> results = new ArrayList<>(); // per rung: {config, loss}
    private final List<Set<Integer>> promoted = new ArrayList<>();
    private int running;

    /**
     * @param sampler    where new configurations come from (random search in ASHA's paper); told the
     *                   bottom-rung losses
     * @param maxConfigs how many configurations to start in all
     */
    public Asha(Tuner sampler, double minBudget, double maxBudget, double eta, int maxConfigs) {
        if (!(minBudget > 0) || !(maxBudget >= minBudget) || !(eta > 1) || maxConfigs < 1)
            throw new IllegalArgumentException("ASHA needs 0 < minBudget <= maxBudget, eta > 1 and maxConfigs >= 1");
        this.sampler = sampler;
        this.minBudget = minBudget;
        this.eta = eta;
        this.rungs = 1 + (int) Math.floor(Math.log(maxBudget / minBudget) / Math.log(eta) + 1e-9);
        this.maxConfigs = maxConfigs;
        for (int k = 0; k < rungs; k++) {
            results.add(new ArrayList<>());
            promoted.add(new HashSet<>());
        }
    }

    public int rungCount() { return rungs; }

    public double budget(int rung) { return minBudget * Math.pow(eta, rung); }

    @Override
    public Optional<Job> next() {
        for (int k = rungs - 2; k >= 0; k--) {
            List<double[]> rung = results.get(k);
            int keep = (int) Math.floor(rung.size() / eta);
            if (keep == 0) continue;
            List<double[]> sorted = new ArrayList<>(rung);
            sorted.sort((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[0], b[0]));
            for (double[] r : sorted.subList(0, keep)) {
                int config = (int) r[0];
                if (promoted.get(k).add(config)) {
                    running++;
                    return Optional.of(new Job(config, configs.get(config), k + 1, budget(k + 1)));
                }
            }
        }
        if (configs.size() >= maxConfigs) return Optional.empty();
        int id = configs.size();
        Optional<Map<String, Object>> p = sampler.generateParameters(id);
        if (p.isEmpty()) return Optional.empty();
        configs.add(p.get());
        running++;
        return Optional.of(new Job(id, p.get(), 0, budget(0)));
    }

    @Override
    public void report(Job job, double loss) {
        running--;
        results.get(job.rung()).add(new double[] {job.config(), loss});
        // A failed job (infinite loss) is never promoted; the sampler's model is told finite losses only.
        if (job.rung() == 0 && Double.isFinite(loss)) sampler.receiveTrialResult(job.config(), job.parameters(), loss);
    }

    /** Done once every configuration has started and nothing runs: a promotion needs a new result to happen. */
    @Override
    public boolean done() {
        return running == 0 && configs.size() >= maxConfigs && next0IsEmpty();
    }

    private boolean next0IsEmpty() {
        for (int k = rungs - 2; k >= 0; k--) {
            List<double[]> sorted = new ArrayList<>(results.get(k));
            sorted.sort((a, b) -> Double.compare(a[1], b[1]));
            int keep = (int) Math.floor(sorted.size() / eta);
            for (double[] r : sorted.subList(0, keep)) if (!promoted.get(k).contains((int) r[0])) return false;
        }
        return true;
    }
}

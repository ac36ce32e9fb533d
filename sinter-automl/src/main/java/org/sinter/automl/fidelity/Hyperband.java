package org.sinter.automl.fidelity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.RandomTuner;

/**
 * Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh, Talwalkar, JMLR 2018): with {@code R = maxBudget /
 * minBudget} and {@code s_max = ⌊log_η R⌋}, brackets {@code s = s_max … 0} each run synchronous
 * successive halving: {@code n = ⌈(s_max + 1) η^s / (s + 1)⌉} configurations at budget
 * {@code maxBudget · η^-s}, then the best {@code ⌊n η^-i⌋} at {@code η^i} times that budget at rung
 * {@code i}. A rung is promoted only when all its jobs are in, so {@link #next} returns empty while
 * it waits. {@code rounds} repeats the whole set of brackets.
 */
public class Hyperband implements MultiFidelityScheduler {
    private final ConfigSource source;
    private final double minBudget, maxBudget, eta;
    private final int maxBracket;
    private final Deque<Integer> brackets = new ArrayDeque<>();
    private final List<Map<String, Object>> configs = new ArrayList<>();

    // The bracket being run.
    private int bracket = -1, rung, bracketConfigs;
    private final Deque<Integer> toIssue = new ArrayDeque<>();
    private final List<double[]> rungResults = new ArrayList<>();
    private int pending;

    public Hyperband(SearchSpace space, long seed, double minBudget, double maxBudget, double eta, int rounds) {
        this(random(space, seed), minBudget, maxBudget, eta, rounds);
    }

    public Hyperband(ConfigSource source, double minBudget, double maxBudget, double eta, int rounds) {
        if (!(minBudget > 0) || !(maxBudget >= minBudget) || !(eta > 1) || rounds < 1)
            throw new IllegalArgumentException("Hyperband needs 0 < minBudget <= maxBudget, eta > 1 and rounds >= 1");
        this.source = source;
        this.minBudget = minBudget;
        this.maxBudget = maxBudget;
        this.eta = eta;
        this.maxBracket = (int) Math.floor(Math.log(maxBudget / minBudget) / Math.log(eta) + 1e-9);
        for (int r = 0; r < rounds; r++) for (int s = maxBracket; s >= 0; s--) brackets.add(s);
    }

    private static ConfigSource random(SearchSpace space, long seed) {
        RandomTuner random = new RandomTuner(space, seed);
        return config -> random.generateParameters(config).orElseThrow();
    }

    /** Configurations bracket {@code s} starts with. */
    public int bracketSize(int s) {
        return (int) Math.ceil((maxBracket + 1) * Math.pow(eta, s) / (s + 1) - 1e-9);
    }

    /** How many configurations rung {@code i} of bracket {@code s} runs, and at what budget. */
    public int rungSize(int s, int i) { return (int) Math.floor(bracketSize(s) * Math.pow(eta, -i) + 1e-9); }

    public double rungBudget(int s, int i) { return maxBudget * Math.pow(eta, i - s); }

    public int maxBracket() { return maxBracket; }

    @Override
    public Optional<Job> next() {
        while (true) {
            if (!toIssue.isEmpty()) {
                int config = toIssue.poll();
                pending++;
                return Optional.of(new Job(config, configs.get(config), rung, rungBudget(bracket, rung)));
            }
            if (pending > 0) return Optional.empty(); // the rung is not complete: wait
            if (bracket >= 0 && rung < bracket && !rungResults.isEmpty()) {
                // Promote the best of the finished rung.
                int keep = Math.max(1, rungSize(bracket, rung + 1));
                List<double[]> sorted = new ArrayList<>(rungResults);
                sorted.sort((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[0], b[0]));
                rung++;
                rungResults.clear();
                for (double[] r : sorted.subList(0, Math.min(keep, sorted.size()))) toIssue.add((int) r[0]);
                continue;
            }
            if (brackets.isEmpty()) return Optional.empty();
            bracket = brackets.poll();
            rung = 0;
            rungResults.clear();
            bracketConfigs = bracketSize(bracket);
            for (int i = 0; i < bracketConfigs; i++) {
                int id = configs.size();
                configs.add(source.sample(id));
                toIssue.add(id);
            }
        }
    }

    @Override
    public void report(Job job, double loss) {
        pending--;
        rungResults.add(new double[] {job.config(), loss});
        source.observe(job.config(), job.parameters(), job.budget(), loss);
    }

    @Override
    public boolean done() {
        return brackets.isEmpty() && toIssue.isEmpty() && pending == 0 && (bracket < 0 || rung >= bracket);
    }

    double minBudget() { return minBudget; }
}

package org.sinter.automl.fidelity;

import java.util.List;
import java.util.Locale;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.Tuners;

/** Multi-fidelity schedulers by the names the command line uses, and the settings that identify one in the journal. */
public final class Schedulers {
    private Schedulers() {}

    public static final List<String> NAMES = List.of("hyperband", "bohb", "asha");

    /**
     * The settings a scheduler is rebuilt from on a restart.
     *
     * @param sampler the tuner ASHA draws new configurations from (Hyperband samples at random, BOHB has its own model)
     * @param count   configurations in all for ASHA; rounds of all brackets for Hyperband and BOHB
     */
    public record Settings(String name, String sampler, double minBudget, double maxBudget, double eta, int count) {
        public Settings {
            if (!NAMES.contains(name))
                throw new IllegalArgumentException("unknown scheduler '" + name + "'; expected one of " + String.join(", ", NAMES));
            if (!(minBudget > 0) || !(maxBudget >= minBudget))
                throw new IllegalArgumentException(name + " needs 0 < min budget <= max budget, got " + minBudget + " and " + maxBudget);
            if (!(eta > 1)) throw new IllegalArgumentException(name + " needs eta > 1, got " + eta);
            if (count < 1) throw new IllegalArgumentException(name + " needs at least one " + ("asha".equals(name) ? "configuration" : "round"));
            if ("asha".equals(name) && !Tuners.NAMES.contains(sampler))
                throw new IllegalArgumentException("asha: unknown sampler tuner '" + sampler + "'; expected one of " + String.join(", ", Tuners.NAMES));
        }

        /**
         * What the journal stores as the experiment's tuner, so that a restart with other settings is refused; the
         * count is not in it (it is the trial budget, which may grow).
         */
        public String describe() {
            String budgets = String.format(Locale.ROOT, "budget %s-%s eta %s", num(minBudget), num(maxBudget), num(eta));
            return "asha".equals(name) ? "asha(" + sampler + ") " + budgets : name + " " + budgets;
        }

        private static String num(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    public static MultiFidelityScheduler create(Settings s, SearchSpace space, long seed) {
        return switch (s.name()) {
            case "hyperband" -> new Hyperband(space, seed, s.minBudget(), s.maxBudget(), s.eta(), s.count());
            case "bohb" -> new Bohb(space, seed, s.minBudget(), s.maxBudget(), s.eta(), s.count());
            case "asha" -> new Asha(Tuners.create(s.sampler(), space, seed), s.minBudget(), s.maxBudget(), s.eta(), s.count());
            default -> throw new IllegalArgumentException("unknown scheduler '" + s.name() + "'");
        };
    }
}

package org.sinter.rl.agents;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.sinter.nn.Module;
import org.sinter.rl.agents.Agent.Progress;
import org.sinter.rl.TrainingProgress;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.a2c.A2c;
import org.sinter.rl.a2c.A2cConfig;
import org.sinter.rl.apex.Apex;
import org.sinter.rl.apex.ApexConfig;
import org.sinter.rl.continuous.OffPolicyConfig;
import org.sinter.rl.continuous.OffPolicyTrainer;
import org.sinter.rl.continuous.TrainContinuous;
import org.sinter.rl.dqn.Dqn;
import org.sinter.rl.dqn.DqnConfig;
import org.sinter.rl.dqn.DqnVariants;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.impala.Impala;
import org.sinter.rl.impala.ImpalaConfig;
import org.sinter.rl.ppo.ContinuousPpo;
import org.sinter.rl.ppo.Ppo;
import org.sinter.rl.ppo.PpoConfig;
import org.sinter.rl.remote.Placement;
import org.sinter.rl.vector.VectorMode;

/**
 * The algorithms by name, each with the settings its bars were measured with, and the check that
 * an algorithm fits an environment (PPO, A2C and DQN need discrete actions; DDPG, TD3 and SAC
 * continuous ones).
 */
public final class Agents {
    /** Algorithms for discrete action spaces. */
    public static final List<String> DISCRETE = List.of("ppo", "a2c", "impala", "dqn", "apex");
    /** Algorithms for continuous (Box) action spaces (PPO has both forms). */
    public static final List<String> CONTINUOUS = List.of("ppo", "ddpg", "td3", "sac");
    /** The algorithms whose runs save their full training state and resume, as messages name them. */
    public static final String RESUMABLE = "ppo, a2c, impala, dqn, apex, ddpg, td3 and sac";
    /** Environments with discrete actions; the others of {@link Envs#IDS} have Box actions. */
    static final List<String> DISCRETE_ENVS = List.of("CartPole-v1", "Acrobot-v1", "MountainCar-v0");

    /**
     * How a run is set up beyond algorithm, environment and seed; {@code processes}: IMPALA's and
     * Ape-X's workers each in their own process; {@code replayProcess}: Ape-X's replay in a process of its own;
     * {@code vector}: how PPO's and A2C's environment copies are stepped.
     */
    public record Options(long steps, int numEnvs, DqnVariants dqnVariants, int workers, boolean processes, boolean replayProcess, VectorMode vector) {
        /** Each algorithm's own budget and environment count. */
        public static final Options DEFAULTS = new Options(0, 0);

        public Options(long steps, int numEnvs) {
            this(steps, numEnvs, DqnVariants.NONE, 0, false, false, VectorMode.SYNC);
        }

        public Options(long steps, int numEnvs, DqnVariants dqnVariants) {
            this(steps, numEnvs, dqnVariants, 0, false, false, VectorMode.SYNC);
        }

        public Options(long steps, int numEnvs, DqnVariants dqnVariants, int workers) {
            this(steps, numEnvs, dqnVariants, workers, false, false, VectorMode.SYNC);
        }

        public Options(long steps, int numEnvs, DqnVariants dqnVariants, int workers, boolean processes) {
            this(steps, numEnvs, dqnVariants, workers, processes, false, VectorMode.SYNC);
        }

        public Options {
            if (workers < 0) throw new IllegalArgumentException("the number of workers must be positive, got " + workers);
            java.util.Objects.requireNonNull(dqnVariants, "dqnVariants");
            java.util.Objects.requireNonNull(vector, "vector");
            if (steps < 0) throw new IllegalArgumentException("steps must be positive, got " + steps);
            if (numEnvs < 0) throw new IllegalArgumentException("the number of environments must be positive, got " + numEnvs);
        }
    }

    private Agents() {}

    /** Every algorithm name {@link #create} knows. */
    public static List<String> algorithms() {
        return java.util.stream.Stream.concat(DISCRETE.stream(), CONTINUOUS.stream()).distinct().toList();
    }

    static boolean isDiscrete(String envId) {
        return DISCRETE_ENVS.contains(envId);
    }

    /** Fails with a message that says what fits when {@code algorithm} cannot run on {@code envId}. */
    public static void checkPair(String algorithm, String envId) {
        if (!algorithms().contains(algorithm)) {
            throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'; known: " + String.join(", ", algorithms()));
        }
        if (!Envs.IDS.contains(envId)) {
            throw new IllegalArgumentException("unknown environment '" + envId + "'; known: " + String.join(", ", Envs.IDS));
        }
        boolean discreteEnv = isDiscrete(envId);
        if (discreteEnv && !DISCRETE.contains(algorithm)) {
            throw new IllegalArgumentException(algorithm + " needs a continuous (Box) action space, but " + envId
                    + " has discrete actions; use " + String.join(", ", DISCRETE) + " for " + envId);
        }
        if (!discreteEnv && !CONTINUOUS.contains(algorithm)) {
            throw new IllegalArgumentException(algorithm + " needs a discrete action space, but " + envId
                    + " has continuous (Box) actions; use " + String.join(", ", CONTINUOUS) + " for " + envId);
        }
    }

    /** The step budget {@code algorithm} runs for unless told otherwise: the budget of its bar. */
    public static long defaultSteps(String algorithm) {
        return switch (algorithm) {
            case "ppo" -> 100_000;
            case "a2c" -> 500_000;
            case "impala" -> 200_000;
            case "dqn", "apex" -> 200_000;
            case "sac", "td3" -> 20_000;
            case "ddpg" -> 50_000;
            default -> throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'");
        };
    }

    /** The step budget of {@code algorithm} on {@code envId}: continuous-action PPO runs 200,000 (its Pendulum setting). */
    public static long defaultSteps(String algorithm, String envId) {
        return algorithm.equals("ppo") && !isDiscrete(envId) ? PpoConfig.pendulum().totalTimesteps() : defaultSteps(algorithm);
    }

    /** How many recent episodes the mean return is taken over: 20 for the discrete bars, 10 for Pendulum's. */
    public static int defaultWindow(String envId) {
        return isDiscrete(envId) ? 20 : 10;
    }

    /** A training run of {@code algorithm} on {@code envId}, seeded by {@code seed}. */
    public static Agent create(String algorithm, String envId, long seed, Options options) {
        String algo = algorithm.toLowerCase(Locale.ROOT);
        checkPair(algo, envId);
        long steps = options.steps() > 0 ? options.steps() : defaultSteps(algo, envId);
        if (options.numEnvs() > 0 && !algo.equals("ppo") && !algo.equals("a2c")) {
            throw new IllegalArgumentException(algo + " steps one environment per learner or actor; only ppo and a2c run several in step (numEnvs)");
        }
        if (options.workers() > 0 && !algo.equals("impala") && !algo.equals("apex")) {
            throw new IllegalArgumentException(algo + " runs in the calling thread; only impala and apex have actor threads (workers)");
        }
        if (options.processes() && !algo.equals("impala") && !algo.equals("apex")) {
            throw new IllegalArgumentException(algo + " runs in the calling thread; only impala and apex run their workers in processes (processes)");
        }
        if (options.vector() != VectorMode.SYNC && !algo.equals("ppo") && !algo.equals("a2c")) {
            throw new IllegalArgumentException(algo + " steps one environment per learner or actor; only ppo and a2c step several copies (vector)");
        }
        if (options.replayProcess() && !algo.equals("apex")) {
            throw new IllegalArgumentException(algo + " has no replay server; only apex runs its replay in a process of its own (replayProcess)");
        }
        if (!algo.equals("dqn") && !options.dqnVariants().equals(DqnVariants.NONE)) {
            throw new IllegalArgumentException("DQN variants (" + options.dqnVariants() + ") apply to dqn only, not " + algo);
        }
        return switch (algo) {
            case "ppo" -> isDiscrete(envId) ? ppo(envId, seed, steps, options.numEnvs(), options.vector())
                    : continuousPpo(envId, seed, steps, options.numEnvs(), options.vector());
            case "a2c" -> a2c(envId, seed, steps, options.numEnvs(), options.vector());
            case "impala" -> impala(envId, seed, steps, options.workers() > 0 ? options.workers() : 2, placement(options));
            case "dqn" -> dqn(envId, seed, steps, options.dqnVariants());
            case "apex" -> apex(envId, seed, steps, options.workers() > 0 ? options.workers() : 2, placement(options),
                    options.replayProcess() ? Placement.PROCESSES : Placement.THREADS);
            default -> offPolicy(algo, envId, seed, steps);
        };
    }

    private static Placement placement(Options options) {
        return options.processes() ? Placement.PROCESSES : Placement.THREADS;
    }

    /** Refuses a budget below one update of a vectorized rollout. */
    private static void checkOneUpdate(String algo, int batchSize, int numEnvs, int numSteps, long steps) {
        if (steps < batchSize) {
            throw new IllegalArgumentException(algo + " collects " + batchSize + " steps per update (" + numEnvs + " envs × "
                    + numSteps + "); steps " + steps + " is less than one update");
        }
    }

    /**
     * How a PPO or A2C run saves and resumes its state: its copies must be in this process (sync or
     * async); copies in processes keep their state there, so such a run is not resumable.
     */
    private static StateFiles stateFiles(VectorMode vector, Saver saver, Resumer resumer, java.util.function.LongSupplier steps) {
        return vector == VectorMode.PROCESS ? null : new StateFiles(saver, resumer, steps);
    }

    private static Agent ppo(String envId, long seed, long steps, int numEnvs, VectorMode vector) {
        PpoConfig base = PpoConfig.cartPole();
        PpoConfig c = base.withNumEnvs(numEnvs > 0 ? numEnvs : base.numEnvs()).withTotalTimesteps(steps);
        checkOneUpdate("ppo", c.batchSize(), c.numEnvs(), c.numSteps(), steps);
        Ppo ppo = new Ppo(() -> Envs.makeDiscrete(envId), c, seed, vector);
        return new Adapter(new PolicySpec("ppo", envId, new int[] {c.hidden()}), ppo.model(), (stop, window, progress) -> {
            try (ppo) {
                return ppo.train(stop, window, forward(progress));
            }
        }, stateFiles(vector, ppo::saveState, ppo::resume, ppo::steps));
    }

    private static Agent continuousPpo(String envId, long seed, long steps, int numEnvs, VectorMode vector) {
        PpoConfig base = PpoConfig.pendulum();
        PpoConfig c = base.withNumEnvs(numEnvs > 0 ? numEnvs : base.numEnvs()).withTotalTimesteps(steps);
        checkOneUpdate("ppo", c.batchSize(), c.numEnvs(), c.numSteps(), steps);
        ContinuousPpo ppo = new ContinuousPpo(() -> Envs.makeContinuous(envId), c, seed, vector);
        return new Adapter(new PolicySpec("ppo", envId, new int[] {c.hidden()}), ppo.model(), (stop, window, progress) -> {
            try (ppo) {
                return ppo.train(stop, window, forward(progress));
            }
        }, stateFiles(vector, ppo::saveState, ppo::resume, ppo::steps));
    }

    private static Agent a2c(String envId, long seed, long steps, int numEnvs, VectorMode vector) {
        A2cConfig base = A2cConfig.cartPole();
        A2cConfig c = base.withNumEnvs(numEnvs > 0 ? numEnvs : base.numEnvs()).withTotalTimesteps(steps);
        checkOneUpdate("a2c", c.batchSize(), c.numEnvs(), c.numSteps(), steps);
        A2c a2c = new A2c(() -> Envs.makeDiscrete(envId), c, seed, vector);
        return new Adapter(new PolicySpec("a2c", envId, new int[] {c.hidden()}), a2c.model(), (stop, window, progress) -> {
            try (a2c) {
                return a2c.train(stop, window, REPORT_EVERY, forward(progress));
            }
        }, stateFiles(vector, a2c::saveState, a2c::resume, a2c::steps));
    }

    private static Agent impala(String envId, long seed, long steps, int actors, Placement placement) {
        ImpalaConfig c = ImpalaConfig.cartPole(actors).withTotalTimesteps(steps);
        Impala impala = new Impala(() -> Envs.makeDiscrete(envId), c, seed);
        return new Adapter(new PolicySpec("impala", envId, new int[] {c.hidden()}), impala.model(),
                (stop, window, progress) -> impala.train(placement, stop, window, REPORT_EVERY, forward(progress)),
                new StateFiles(impala::saveState, impala::resume, impala::steps)); // the learner resumes exactly; its actors start new episodes
    }

    /** Ape-X; a replay in its own process ends with the training call. */
    private static Agent apex(String envId, long seed, long steps, int actors, Placement placement, Placement replayPlacement) {
        ApexConfig c = ApexConfig.cartPole(actors).withTotalTimesteps(steps);
        Apex apex = new Apex(() -> Envs.makeDiscrete(envId), c, seed, replayPlacement);
        return new Adapter(new PolicySpec("apex", envId, c.hidden()), apex.qNetwork(), (stop, window, progress) -> {
            try (apex) {
                return apex.train(placement, stop, window, REPORT_EVERY, forward(progress));
            }
        }, replayPlacement == Placement.THREADS ? new StateFiles(apex::saveState, apex::resume, apex::steps) : null); // the learner and replay resume exactly
    }

    private static Agent dqn(String envId, long seed, long steps, DqnVariants variants) {
        DqnConfig c = DqnConfig.cartPole().withTotalTimesteps(steps).withVariants(variants);
        Dqn dqn = new Dqn(Envs.makeDiscrete(envId), c, seed);
        return new Adapter(new PolicySpec("dqn", envId, c.hidden(), variants), dqn.qNetwork(),
                (stop, window, progress) -> dqn.train(stop, window, REPORT_EVERY, forward(progress)), new StateFiles(dqn::saveState, dqn::resume, dqn::steps));
    }

    private static Agent offPolicy(String algo, String envId, long seed, long steps) {
        OffPolicyConfig c = OffPolicyConfig.pendulum(algo).withTotalTimesteps(steps);
        OffPolicyTrainer t = TrainContinuous.create(algo, Envs.makeContinuous(envId), c, seed);
        return new Adapter(new PolicySpec(algo, envId, c.hidden()), t.policy(),
                (stop, window, progress) -> t.train(stop, window, REPORT_EVERY, forward(progress)), new StateFiles(t::saveState, t::resume, t::steps));
    }

    /** An algorithm's own progress reports as {@link Agent.Progress}, or null for none. */
    private static <P extends TrainingProgress> Consumer<P> forward(Consumer<Progress> progress) {
        return progress == null ? null : p -> progress.accept(new Progress(p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
    }

    /** Environment steps between progress reports for the one-environment algorithms. */
    static final int REPORT_EVERY = 1_000;

    private interface Training {
        TrainingResult run(double stopReturn, int window, Consumer<Progress> progress);
    }

    private interface Saver {
        void save(java.nio.file.Path file) throws java.io.IOException;
    }

    private interface Resumer {
        void resume(java.nio.file.Path file) throws java.io.IOException;
    }

    /** How a resumable algorithm saves and restores its training state, and how many steps it has taken. */
    private record StateFiles(Saver saver, Resumer resumer, java.util.function.LongSupplier steps) {}

    /** An algorithm behind {@link Agent}; {@code state} is null for one that cannot be resumed. */
    private record Adapter(PolicySpec spec, Module policy, Training training, StateFiles state) implements Agent {
        @Override
        public TrainingResult train(double stopReturn, int window, Consumer<Progress> progress) {
            return training.run(stopReturn, window, progress);
        }

        @Override
        public boolean resumable() {
            return state != null;
        }

        @Override
        public void saveState(java.nio.file.Path file) throws java.io.IOException {
            if (state == null) Agent.super.saveState(file);
            else state.saver().save(file);
        }

        @Override
        public long resume(java.nio.file.Path file) throws java.io.IOException {
            if (state == null) return Agent.super.resume(file);
            state.resumer().resume(file);
            return state.steps().getAsLong();
        }
    }
}

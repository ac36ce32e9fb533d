package org.sinter.rl.actorcritic;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.rl.Categorical;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.Observations;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;
import org.sinter.rl.vector.VectorEnv;
import org.sinter.rl.vector.VectorMode;
import org.sinter.rl.vector.VectorStep;

/**
 * The synchronous on-policy rollout PPO and A2C share: {@code numEnvs} environment copies stepped
 * {@code numSteps} times with actions sampled from an {@link ActorCritic}'s softmax, then GAE(λ)
 * advantages bootstrapped from V of the last observation. A time-limit truncation bootstraps: the
 * reward of the truncated step gains γ·V(final observation).
 *
 * <p>Seeded: the network from {@link Sinter#manualSeed}(seed), the environments with
 * {@code seed + i}, and actions from one stream ({@link #random()}), which the algorithm may go on
 * using (PPO shuffles its minibatches with it).
 */
public final class ActorCriticRollout implements ResumableRollout {
    /**
     * One rollout, indexed [step][env]: observations, actions, their log-probabilities under the
     * behaviour policy, V, and the GAE advantages (returns = advantages + values).
     */
    public record Batch(double[][][] observations, int[][] actions, double[][] logProbs, double[][] values, double[][] advantages) {}

    private final VectorEnv<double[], Integer> envs;
    private final ActorCritic model;
    private Generator generator;
    private RandomGenerator random;
    private final long seed;
    private final int observationSize, numEnvs, numSteps;
    private final double gamma, gaeLambda;
    private final double[] episodeReturn;
    private final double[][][] observations;
    private final int[][] actions;
    private final double[][] logProbs, rewards, values;
    private final boolean[][] dones;
    private List<double[]> current;
    private long steps;

    /**
     * @param algorithm named in the error for an environment that does not fit
     * @param streamSalt mixed into {@code seed} for the action-sampling stream (each algorithm keeps its own)
     */
    public ActorCriticRollout(String algorithm, Supplier<? extends Env<double[], Integer>> envFactory, int numEnvs, int numSteps, int hidden,
                              double gamma, double gaeLambda, long seed, long streamSalt) {
        this(algorithm, envFactory, VectorMode.SYNC, numEnvs, numSteps, hidden, gamma, gaeLambda, seed, streamSalt);
    }

    /** The copies stepped as {@code vector} says (the same seeded trajectories any way); {@link #close} stops their threads or processes. */
    public ActorCriticRollout(String algorithm, Supplier<? extends Env<double[], Integer>> envFactory, VectorMode vector, int numEnvs, int numSteps,
                              int hidden, double gamma, double gaeLambda, long seed, long streamSalt) {
        this.envs = vector.create(envFactory, numEnvs);
        Env<double[], Integer> first = envs.env(0);
        if (!(first.observationSpace() instanceof Box box) || !(first.actionSpace() instanceof Discrete discrete)) {
            envs.close();
            throw new IllegalArgumentException(algorithm + ": " + first.id() + " needs a Box observation space and a Discrete action space, has "
                    + first.observationSpace() + " and " + first.actionSpace());
        }
        this.observationSize = box.size();
        this.numEnvs = numEnvs;
        this.numSteps = numSteps;
        this.gamma = gamma;
        this.gaeLambda = gaeLambda;
        this.seed = seed;
        Sinter.manualSeed(seed);
        this.model = new ActorCritic(observationSize, discrete.n(), hidden);
        this.generator = new Generator(seed ^ streamSalt);
        this.random = generator.random();
        this.episodeReturn = new double[numEnvs];
        this.observations = new double[numSteps][numEnvs][];
        this.actions = new int[numSteps][numEnvs];
        this.logProbs = new double[numSteps][numEnvs];
        this.rewards = new double[numSteps][numEnvs];
        this.values = new double[numSteps][numEnvs];
        this.dones = new boolean[numSteps][numEnvs];
    }

    public ActorCritic model() {
        return model;
    }

    /**
     * The rollout's exact state between two {@link #collect} calls: the sampling stream, the
     * environment copies, their current observations, partial returns and the step count.
     */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        if (current == null) throw new IllegalStateException("ActorCriticRollout: nothing to save before reset()");
        w.putLongs(generator.state()).putLongRows(envs.snapshot()).putDoubleRows(current).putDoubles(episodeReturn).putLong(steps);
    }

    /** Restores what {@link #saveState} wrote, in place of {@link #reset}. */
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        generator = new Generator(0);
        generator.setState(r.getLongs());
        random = generator.random();
        envs.restore(r.getLongRows());
        current = r.getDoubleRows();
        double[] partial = r.getDoubles();
        if (partial.length != numEnvs || current.size() != numEnvs) {
            throw new IllegalArgumentException("ActorCriticRollout: a saved state for " + partial.length + " environments, this run has " + numEnvs);
        }
        System.arraycopy(partial, 0, episodeReturn, 0, numEnvs);
        steps = r.getLong();
    }

    /** The action-sampling stream (replaced when a state is restored: ask again after {@link #restoreState}). */
    public RandomGenerator random() {
        return random;
    }

    /** Stops the copies' threads or processes (nothing for synchronous copies). */
    @Override
    public void close() {
        envs.close();
    }

    /** The environment's id. */
    public String envId() {
        return envs.env(0).id();
    }

    public int observationSize() {
        return observationSize;
    }

    /** Environment steps taken so far, over all copies. */
    public long steps() {
        return steps;
    }

    /** Resets every copy ({@code seed + i}); call once before the first {@link #collect}. */
    public void reset() {
        current = envs.reset(seed);
        steps = 0;
        java.util.Arrays.fill(episodeReturn, 0);
    }

    /**
     * Steps every copy {@code numSteps} times, adding each finished episode's return to
     * {@code returns}, and returns the rollout with its advantages. The arrays are reused by the
     * next call.
     */
    public Batch collect(EpisodeReturns returns) {
        if (current == null) throw new IllegalStateException("ActorCriticRollout: reset() before collect()");
        int n = numEnvs;
        for (int t = 0; t < numSteps; t++) {
            steps += n;
            float[] probs;
            double[] v;
            try (var _ = Sinter.noGrad()) {
                Tensor x = Observations.batch(current, observationSize);
                probs = model.logits(x).softmax(1).contiguous().toFloatArray();
                v = model.value(x).toDoubleArray();
            }
            int width = probs.length / n;
            List<Integer> chosen = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int a = Categorical.sample(probs, i * width, width, random);
                chosen.add(a);
                observations[t][i] = current.get(i);
                actions[t][i] = a;
                logProbs[t][i] = Math.log(probs[i * width + a]);
                values[t][i] = v[i];
            }
            VectorStep<double[]> step = envs.step(chosen);
            for (int i = 0; i < n; i++) {
                double r = step.rewards()[i];
                episodeReturn[i] += r;
                if (step.truncated()[i] && !step.terminated()[i]) r += gamma * valueOf(step.finalObservations().get(i));
                rewards[t][i] = r;
                dones[t][i] = step.done(i);
                if (step.done(i)) {
                    returns.add(episodeReturn[i], steps);
                    episodeReturn[i] = 0;
                }
            }
            current = step.observations();
        }
        double[] nextValues;
        try (var _ = Sinter.noGrad()) {
            nextValues = model.value(Observations.batch(current, observationSize)).toDoubleArray();
        }
        double[][] advantages = Gae.advantages(rewards, values, dones, nextValues, gamma, gaeLambda);
        return new Batch(observations, actions, logProbs, values, advantages);
    }

    private double valueOf(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            return model.value(Observations.row(observation, observationSize)).item();
        }
    }
}

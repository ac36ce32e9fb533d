package org.sinter.rl.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.actorcritic.DiagonalGaussian;
import org.sinter.rl.actorcritic.Gae;
import org.sinter.rl.actorcritic.GaussianActorCritic;
import org.sinter.rl.actorcritic.RunningMeanStd;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.vector.VectorEnv;
import org.sinter.rl.vector.VectorMode;
import org.sinter.rl.vector.VectorStep;

/**
 * Continuous-action PPO's rollout, with the wrappers of CleanRL's {@code ppo_continuous_action.py}:
 * actions drawn from the {@link GaussianActorCritic}'s N(μ(s), σ²) and clipped by the environment
 * (the unclipped draw is what is stored and scored); observations normalized by running statistics
 * (Gymnasium's {@code NormalizeObservation}, then clipped to ±10); rewards divided by the running
 * standard deviation of the discounted return (Gymnasium's {@code NormalizeReward}: G ← γ·G·(1 −
 * terminated) + r, then r/√(Var G + 1e-8), clipped to ±10). Then GAE(λ) on the normalized rewards.
 *
 * <p>Two deliberate differences from CleanRL: the statistics are shared by all copies (updated with
 * the batch of their observations each step, as Gymnasium's vector-env wrapper does; CleanRL wraps
 * each copy separately), so one pair travels with the checkpoint; and a time-limit truncation
 * bootstraps (the normalized reward of the truncated step gains γ·V(final observation)), which
 * matters on Pendulum, whose every episode is truncated.
 */
public final class GaussianRollout implements org.sinter.rl.actorcritic.ResumableRollout {
    /** One rollout, [step][env]: normalized observations, actions as drawn, log π_old, V, GAE advantages. */
    public record Batch(double[][][] observations, float[][][] actions, double[][] logProbs, double[][] values, double[][] advantages) {}

    private static final double REWARD_CLIP = 10;

    private final VectorEnv<double[], double[]> envs;
    private final GaussianActorCritic model;
    private Generator generator;
    private RandomGenerator random;
    private final RunningMeanStd obsRms, returnRms = new RunningMeanStd(1);
    private final long seed;
    private final int observationSize, actionSize, numEnvs, numSteps;
    private final double gamma, gaeLambda;
    private final double[] episodeReturn, discountedReturn;
    private final double[][][] observations;
    private final float[][][] actions;
    private final double[][] logProbs, rewards, values;
    private final boolean[][] dones;
    private List<double[]> current;
    private long steps;

    public GaussianRollout(Supplier<? extends Env<double[], double[]>> envFactory, int numEnvs, int numSteps, int hidden, double gamma,
                           double gaeLambda, long seed) {
        this(envFactory, VectorMode.SYNC, numEnvs, numSteps, hidden, gamma, gaeLambda, seed);
    }

    /** The copies stepped as {@code vector} says (the same seeded trajectories any way); {@link #close} stops their threads or processes. */
    public GaussianRollout(Supplier<? extends Env<double[], double[]>> envFactory, VectorMode vector, int numEnvs, int numSteps, int hidden, double gamma,
                           double gaeLambda, long seed) {
        this.envs = vector.create(envFactory, numEnvs);
        Env<double[], double[]> first = envs.env(0);
        if (!(first.observationSpace() instanceof Box box) || !(first.actionSpace() instanceof Box actionBox)) {
            envs.close();
            throw new IllegalArgumentException("ContinuousPpo: " + first.id() + " needs Box observation and action spaces, has "
                    + first.observationSpace() + " and " + first.actionSpace());
        }
        this.observationSize = box.size();
        this.actionSize = actionBox.size();
        this.numEnvs = numEnvs;
        this.numSteps = numSteps;
        this.gamma = gamma;
        this.gaeLambda = gaeLambda;
        this.seed = seed;
        Sinter.manualSeed(seed);
        this.model = new GaussianActorCritic(observationSize, actionSize, hidden);
        this.generator = new Generator(seed ^ 0x6A05514EL);
        this.random = generator.random();
        this.obsRms = new RunningMeanStd(observationSize);
        this.episodeReturn = new double[numEnvs];
        this.discountedReturn = new double[numEnvs];
        this.observations = new double[numSteps][numEnvs][];
        this.actions = new float[numSteps][numEnvs][];
        this.logProbs = new double[numSteps][numEnvs];
        this.rewards = new double[numSteps][numEnvs];
        this.values = new double[numSteps][numEnvs];
        this.dones = new boolean[numSteps][numEnvs];
    }

    public GaussianActorCritic model() {
        return model;
    }

    public RandomGenerator random() {
        return random;
    }

    public int observationSize() {
        return observationSize;
    }

    public int actionSize() {
        return actionSize;
    }

    public long steps() {
        return steps;
    }

    /** Resets every copy ({@code seed + i}) and feeds the first observations to the statistics. */
    public void reset() {
        current = normalizeUpdating(envs.reset(seed));
        steps = 0;
        java.util.Arrays.fill(episodeReturn, 0);
        java.util.Arrays.fill(discountedReturn, 0);
    }

    /** {@code numSteps} steps of every copy; finished episodes' raw returns go to {@code returns}. The arrays are reused. */
    public Batch collect(EpisodeReturns returns) {
        if (current == null) throw new IllegalStateException("GaussianRollout: reset() before collect()");
        int n = numEnvs;
        for (int t = 0; t < numSteps; t++) {
            steps += n;
            Tensor x = batch(current);
            float[] mean, lp;
            double[] v;
            float[] drawn = new float[n * actionSize];
            try (var _ = Sinter.noGrad()) {
                mean = model.actionMean(x).contiguous().toFloatArray();
                float[] logStd = model.actorLogStd.contiguous().toFloatArray();
                for (int i = 0; i < n; i++) {
                    for (int d = 0; d < actionSize; d++) {
                        drawn[i * actionSize + d] = (float) (mean[i * actionSize + d] + Math.exp(logStd[d]) * random.nextGaussian());
                    }
                }
                lp = DiagonalGaussian.logProb(Tensor.of(mean, n, actionSize), model.actorLogStd, Tensor.of(drawn, n, actionSize)).toFloatArray();
                v = model.value(x).toDoubleArray();
            }
            List<double[]> chosen = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] a = java.util.Arrays.copyOfRange(drawn, i * actionSize, (i + 1) * actionSize);
                double[] ad = new double[actionSize];
                for (int d = 0; d < actionSize; d++) ad[d] = a[d];
                chosen.add(ad);
                observations[t][i] = current.get(i);
                actions[t][i] = a;
                logProbs[t][i] = lp[i];
                values[t][i] = v[i];
            }
            VectorStep<double[]> step = envs.step(chosen);
            double[][] discounted = new double[n][1];
            for (int i = 0; i < n; i++) {
                discountedReturn[i] = discountedReturn[i] * gamma * (step.terminated()[i] ? 0 : 1) + step.rewards()[i];
                discounted[i][0] = discountedReturn[i];
            }
            returnRms.update(discounted);
            double rewardScale = Math.sqrt(returnRms.var()[0] + GaussianActorCritic.NORM_EPSILON);
            List<double[]> next = normalizeUpdating(step.observations());
            for (int i = 0; i < n; i++) {
                double raw = step.rewards()[i];
                episodeReturn[i] += raw;
                double r = Math.max(-REWARD_CLIP, Math.min(REWARD_CLIP, raw / rewardScale));
                if (step.truncated()[i] && !step.terminated()[i]) {
                    double[] fin = obsRms.normalize(step.finalObservations().get(i), GaussianActorCritic.NORM_EPSILON, GaussianActorCritic.OBS_CLIP);
                    try (var _ = Sinter.noGrad()) {
                        r += gamma * model.value(batch(List.of(fin))).item();
                    }
                }
                rewards[t][i] = r;
                dones[t][i] = step.done(i);
                if (step.done(i)) {
                    returns.add(episodeReturn[i], steps);
                    episodeReturn[i] = 0;
                }
            }
            current = next;
        }
        double[] nextValues;
        try (var _ = Sinter.noGrad()) {
            nextValues = model.value(batch(current)).toDoubleArray();
        }
        model.setObservationStatistics(obsRms.mean(), obsRms.var());
        return new Batch(observations, actions, logProbs, values, Gae.advantages(rewards, values, dones, nextValues, gamma, gaeLambda));
    }

    private List<double[]> normalizeUpdating(List<double[]> raw) {
        obsRms.update(raw.toArray(double[][]::new));
        List<double[]> out = new ArrayList<>(raw.size());
        for (double[] o : raw) out.add(obsRms.normalize(o, GaussianActorCritic.NORM_EPSILON, GaussianActorCritic.OBS_CLIP));
        return out;
    }

    private Tensor batch(List<double[]> rows) {
        return org.sinter.rl.Observations.batch(rows, observationSize);
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

    /**
     * The exact state between two {@link #collect} calls: sampling stream, environments, current
     * (normalized) observations, raw and discounted partial returns, both normalization statistics
     * and the step count.
     */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        if (current == null) throw new IllegalStateException("GaussianRollout: nothing to save before reset()");
        w.putLongs(generator.state()).putLongRows(envs.snapshot()).putDoubleRows(current).putDoubles(episodeReturn).putDoubles(discountedReturn);
        for (RunningMeanStd rms : new RunningMeanStd[] {obsRms, returnRms}) w.putDoubles(rms.mean()).putDoubles(rms.var()).putDouble(rms.count());
        w.putLong(steps);
    }

    /** Restores what {@link #saveState} wrote, in place of {@link #reset}; ask for {@link #random} again afterwards. */
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        generator = new Generator(0);
        generator.setState(r.getLongs());
        random = generator.random();
        envs.restore(r.getLongRows());
        current = r.getDoubleRows();
        double[] partial = r.getDoubles(), discounted = r.getDoubles();
        if (partial.length != numEnvs || discounted.length != numEnvs || current.size() != numEnvs) {
            throw new IllegalArgumentException("GaussianRollout: a saved state for " + partial.length + " environments, this run has " + numEnvs);
        }
        System.arraycopy(partial, 0, episodeReturn, 0, numEnvs);
        System.arraycopy(discounted, 0, discountedReturn, 0, numEnvs);
        for (RunningMeanStd rms : new RunningMeanStd[] {obsRms, returnRms}) {
            double[] mean = r.getDoubles(), var = r.getDoubles();
            rms.set(mean, var, r.getDouble());
        }
        steps = r.getLong();
    }
}

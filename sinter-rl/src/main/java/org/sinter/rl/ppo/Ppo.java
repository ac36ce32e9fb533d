package org.sinter.rl.ppo;

import java.util.function.Supplier;
import org.sinter.Tensor;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.actorcritic.ActorCriticRollout;
import org.sinter.rl.vector.VectorMode;

/**
 * Proximal policy optimization with the clipped surrogate objective (Schulman et al. 2017) for
 * discrete actions, following CleanRL's {@code ppo.py}: synchronous vectorized rollouts, GAE(λ),
 * advantage normalization per minibatch, clipped value loss, entropy bonus, several epochs of Adam
 * over shuffled minibatches, gradient-norm clipping and a linearly annealed learning rate. Unlike
 * CleanRL, a time-limit truncation bootstraps: the ended step's reward gains γ·V(final observation).
 *
 * <p>Seeded: the network, the environments ({@code seed + i}), action sampling and minibatch
 * shuffling all derive from one seed, so a run repeats exactly.
 */
public final class Ppo extends PpoTrainer {
    /** A progress report after each update. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    private final ActorCriticRollout rollout;
    private final ActorCritic model;
    private final int observationSize;

    public Ppo(Supplier<? extends Env<double[], Integer>> envFactory, PpoConfig config, long seed) {
        this(envFactory, config, seed, VectorMode.SYNC);
    }

    /** PPO whose environment copies are stepped as {@code vector} says; {@link #close} stops their threads or processes. */
    public Ppo(Supplier<? extends Env<double[], Integer>> envFactory, PpoConfig config, long seed, VectorMode vector) {
        this(new ActorCriticRollout("Ppo", envFactory, vector, config.numEnvs(), config.numSteps(), config.hidden(), config.gamma(), config.gaeLambda(),
                seed, 0x5DEECE66DL), config, seed);
    }

    private Ppo(ActorCriticRollout rollout, PpoConfig config, long seed) {
        super("ppo", config, seed, rollout.model(), rollout); // minibatch shuffling continues the action-sampling stream
        this.rollout = rollout;
        this.model = rollout.model();
        this.observationSize = rollout.observationSize();
    }

    public ActorCritic model() {
        return model;
    }

    @Override
    protected void collectAndLearn(EpisodeReturns returns) {
        ActorCriticRollout.Batch b = rollout.collect(returns);
        learn(b.observations(), b.actions(), b.logProbs(), b.values(), b.advantages());
    }

    /** Several epochs of minibatch Adam on the clipped PPO loss over one rollout. */
    private void learn(double[][][] bObs, int[][] bActions, double[][] bLogProbs, double[][] bValues, double[][] adv) {
        int steps = config.numSteps(), n = config.numEnvs(), size = config.batchSize();
        double[][] flatObs = new double[size][];
        int[] flatActions = new int[size];
        double[] flatLogProbs = new double[size], flatValues = new double[size], flatAdv = new double[size], flatReturns = new double[size];
        for (int t = 0, k = 0; t < steps; t++) {
            for (int i = 0; i < n; i++, k++) {
                flatObs[k] = bObs[t][i];
                flatActions[k] = bActions[t][i];
                flatLogProbs[k] = bLogProbs[t][i];
                flatValues[k] = bValues[t][i];
                flatAdv[k] = adv[t][i];
                flatReturns[k] = adv[t][i] + bValues[t][i];
            }
        }
        optimize((order, from, mbSize) -> {
            float[] o = new float[mbSize * observationSize];
            long[] a = new long[mbSize];
            float[] oldLogProb = new float[mbSize], oldValue = new float[mbSize], advantage = new float[mbSize], ret = new float[mbSize];
            for (int j = 0; j < mbSize; j++) {
                int k = order[from + j];
                for (int d = 0; d < observationSize; d++) o[j * observationSize + d] = (float) flatObs[k][d];
                a[j] = flatActions[k];
                oldLogProb[j] = (float) flatLogProbs[k];
                oldValue[j] = (float) flatValues[k];
                advantage[j] = (float) flatAdv[k];
                ret[j] = (float) flatReturns[k];
            }
            if (config.normAdv()) PpoLoss.normalizeAdvantages(advantage);
            return loss(Tensor.of(o, mbSize, observationSize), Tensor.of(a, mbSize, 1), Tensor.of(oldLogProb, mbSize),
                    Tensor.of(oldValue, mbSize), Tensor.of(advantage, mbSize), Tensor.of(ret, mbSize));
        });
    }

    /** Clipped surrogate + vf_coef · (clipped) value loss − ent_coef · entropy. */
    private Tensor loss(Tensor obs, Tensor actions, Tensor oldLogProb, Tensor oldValue, Tensor advantage, Tensor returns) {
        Tensor logProbs = model.logits(obs).logSoftmax(1);
        Tensor newLogProb = logProbs.gather(1, actions).squeeze(1);
        Tensor entropy = logProbs.exp().mul(logProbs).sum(1, false).neg();
        return PpoLoss.of(newLogProb, entropy, model.value(obs), oldLogProb, oldValue, advantage, returns, config.clipCoef(), config.clipVloss(),
                config.entCoef(), config.vfCoef()).total();
    }
}

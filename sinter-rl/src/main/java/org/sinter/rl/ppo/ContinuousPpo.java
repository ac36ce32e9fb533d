package org.sinter.rl.ppo;

import java.util.function.Supplier;
import org.sinter.Tensor;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.actorcritic.DiagonalGaussian;
import org.sinter.rl.actorcritic.GaussianActorCritic;

/**
 * PPO for continuous actions, following CleanRL's {@code ppo_continuous_action.py}: a diagonal
 * Gaussian policy with a state-independent log-std ({@link GaussianActorCritic}), observation and
 * reward normalization and clipped actions ({@link GaussianRollout}), and the same clipped
 * objective ({@link PpoLoss}), epochs of shuffled minibatches, Adam (ε 1e-5), gradient-norm clip and
 * learning-rate annealing as the discrete {@link Ppo}.
 *
 * <p>Seeded: network, environments ({@code seed + i}), Gaussian draws and minibatch shuffling
 * derive from one seed, so a run repeats exactly.
 */
public final class ContinuousPpo extends PpoTrainer {
    private final GaussianRollout rollout;
    private final GaussianActorCritic model;
    private final int observationSize, actionSize;

    public ContinuousPpo(Supplier<? extends Env<double[], double[]>> envFactory, PpoConfig config, long seed) {
        this(envFactory, config, seed, org.sinter.rl.vector.VectorMode.SYNC);
    }

    /** Continuous PPO whose environment copies are stepped as {@code vector} says; {@link #close} stops their threads or processes. */
    public ContinuousPpo(Supplier<? extends Env<double[], double[]>> envFactory, PpoConfig config, long seed, org.sinter.rl.vector.VectorMode vector) {
        this(new GaussianRollout(envFactory, vector, config.numEnvs(), config.numSteps(), config.hidden(), config.gamma(), config.gaeLambda(), seed),
                config, seed);
    }

    private ContinuousPpo(GaussianRollout rollout, PpoConfig config, long seed) {
        super("ppo-continuous", config, seed, rollout.model(), rollout);
        this.rollout = rollout;
        this.model = rollout.model();
        this.observationSize = rollout.observationSize();
        this.actionSize = rollout.actionSize();
    }

    public GaussianActorCritic model() {
        return model;
    }

    @Override
    protected void collectAndLearn(EpisodeReturns returns) {
        learn(rollout.collect(returns));
    }

    private void learn(GaussianRollout.Batch b) {
        int steps = config.numSteps(), n = config.numEnvs(), size = config.batchSize();
        double[][] flatObs = new double[size][];
        float[][] flatActions = new float[size][];
        double[] flatLogProbs = new double[size], flatValues = new double[size], flatAdv = new double[size];
        for (int t = 0, k = 0; t < steps; t++) {
            for (int i = 0; i < n; i++, k++) {
                flatObs[k] = b.observations()[t][i];
                flatActions[k] = b.actions()[t][i];
                flatLogProbs[k] = b.logProbs()[t][i];
                flatValues[k] = b.values()[t][i];
                flatAdv[k] = b.advantages()[t][i];
            }
        }
        optimize((order, from, mbSize) -> {
            float[] o = new float[mbSize * observationSize], a = new float[mbSize * actionSize];
            float[] oldLogProb = new float[mbSize], oldValue = new float[mbSize], advantage = new float[mbSize], ret = new float[mbSize];
            for (int j = 0; j < mbSize; j++) {
                int k = order[from + j];
                for (int d = 0; d < observationSize; d++) o[j * observationSize + d] = (float) flatObs[k][d];
                System.arraycopy(flatActions[k], 0, a, j * actionSize, actionSize);
                oldLogProb[j] = (float) flatLogProbs[k];
                oldValue[j] = (float) flatValues[k];
                advantage[j] = (float) flatAdv[k];
                ret[j] = (float) (flatAdv[k] + flatValues[k]);
            }
            if (config.normAdv()) PpoLoss.normalizeAdvantages(advantage);
            return loss(model, Tensor.of(o, mbSize, observationSize), Tensor.of(a, mbSize, actionSize), Tensor.of(oldLogProb, mbSize),
                    Tensor.of(oldValue, mbSize), Tensor.of(advantage, mbSize), Tensor.of(ret, mbSize), config).total();
        });
    }

    /** The PPO loss of a minibatch of normalized observations and actions under the Gaussian policy. */
    public static PpoLoss.Parts loss(GaussianActorCritic model, Tensor obs, Tensor actions, Tensor oldLogProb, Tensor oldValue, Tensor advantage,
                                     Tensor returns, PpoConfig config) {
        Tensor mean = model.actionMean(obs);
        Tensor newLogProb = DiagonalGaussian.logProb(mean, model.actorLogStd, actions);
        Tensor entropy = DiagonalGaussian.entropy(model.actorLogStd, mean.shape()[0]);
        return PpoLoss.of(newLogProb, entropy, model.value(obs), oldLogProb, oldValue, advantage, returns, config.clipCoef(), config.clipVloss(),
                config.entCoef(), config.vfCoef());
    }
}

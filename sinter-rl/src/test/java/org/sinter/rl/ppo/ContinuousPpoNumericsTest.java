package org.sinter.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.rl.TorchFixture;
import org.sinter.rl.actorcritic.DiagonalGaussian;
import org.sinter.rl.actorcritic.GaussianActorCritic;
import org.sinter.rl.actorcritic.RunningMeanStd;

/**
 * Continuous-action PPO against PyTorch (fixture written by {@code tools/fixtures/gen_rl_ppo_continuous.py}
 * following CleanRL's {@code ppo_continuous_action.py}): the diagonal Gaussian's log-probabilities and
 * entropies with a non-zero state-independent log-std, the clipped surrogate, the clipped and
 * unclipped value losses, the total and every gradient on a minibatch where both clips bind; the
 * advantage normalization; Gymnasium's running mean/variance; the greedy action through the
 * normalization buffers.
 */
class ContinuousPpoNumericsTest {
    private static final double TOL = 2e-5;
    private final TorchFixture fx = TorchFixture.read("ppo_continuous_torch.json");
    private final int b = fx.get("batch").asInt(), obsSize = fx.get("obs_size").asInt(), actSize = fx.get("action_size").asInt();

    private GaussianActorCritic model() {
        return TorchFixture.load(new GaussianActorCritic(obsSize, actSize, fx.get("hidden").asInt()), fx.get("state"));
    }

    private Tensor t(String field, int... shape) {
        return Tensor.of(TorchFixture.floats(fx.get(field)), shape);
    }

    private PpoConfig config(boolean clipVloss) {
        return new PpoConfig(1, b, 1e-3, false, 0.99, 0.95, 1, 1, true, fx.get("clip_coef").asDouble(), clipVloss,
                fx.get("ent_coef").asDouble(), fx.get("vf_coef").asDouble(), 0.5, fx.get("hidden").asInt(), b);
    }

    @Test
    void gaussianLogProbAndEntropyMatchTorchNormal() {
        GaussianActorCritic m = model();
        Tensor mean = m.actionMean(t("obs", b, obsSize));
        JsonNode e = fx.get("clip_vloss");
        TorchFixture.assertClose(e.get("new_logprob"), DiagonalGaussian.logProb(mean, m.actorLogStd, t("actions", b, actSize)), "log_prob", TOL);
        TorchFixture.assertClose(e.get("entropy"), DiagonalGaussian.entropy(m.actorLogStd, b), "entropy", TOL);
    }

    @Test
    void ppoLossWithClippedValueLossAndItsGradientsMatchPyTorch() {
        checkLoss(true, fx.get("clip_vloss"));
    }

    @Test
    void ppoLossWithPlainValueLossAndItsGradientsMatchPyTorch() {
        checkLoss(false, fx.get("no_clip_vloss"));
    }

    private void checkLoss(boolean clipVloss, JsonNode e) {
        assertTrue(e.get("clipped_ratio_rows").asInt() > 0, "the fixture must exercise the ratio clip");
        GaussianActorCritic m = model();
        PpoLoss.Parts p = ContinuousPpo.loss(m, t("obs", b, obsSize), t("actions", b, actSize), t("old_logprob", b), t("old_value", b),
                t("advantages", b), t("returns", b), config(clipVloss));
        String what = clipVloss ? "clipped value loss" : "plain value loss";
        assertEquals(e.get("policy").asDouble(), p.policy().item(), TOL, what + ": policy loss");
        assertEquals(e.get("value").asDouble(), p.value().item(), TOL, what + ": value loss");
        assertEquals(e.get("entropy_mean").asDouble(), p.entropy().item(), TOL, what + ": entropy");
        assertEquals(e.get("total").asDouble(), p.total().item(), TOL, what + ": total");
        p.total().backward();
        TorchFixture.assertGrads(e.get("grads"), m, what, TOL);
    }

    @Test
    void clippingTheValueLossChangesItOnThisBatch() {
        assertTrue(Math.abs(fx.get("clip_vloss", "value").asDouble() - fx.get("no_clip_vloss", "value").asDouble()) > 1e-3,
                "the fixture's old values must make the value clip bind");
    }

    @Test
    void advantageNormalizationMatchesTheReference() {
        float[] a = TorchFixture.floats(fx.get("advantages_raw"));
        PpoLoss.normalizeAdvantages(a);
        TorchFixture.assertClose(fx.get("advantages"), Tensor.of(a, a.length), "normalized advantages", TOL);
    }

    @Test
    void runningMeanStdMergesBatchesAsGymnasium() {
        RunningMeanStd rms = new RunningMeanStd(obsSize);
        for (JsonNode batch : fx.get("rms", "batches")) {
            double[][] rows = new double[batch.size()][];
            for (int i = 0; i < rows.length; i++) rows[i] = TorchFixture.doubles(batch.get(i));
            rms.update(rows);
        }
        double[] mean = TorchFixture.doubles(fx.get("rms", "mean")), var = TorchFixture.doubles(fx.get("rms", "var"));
        for (int j = 0; j < obsSize; j++) {
            assertEquals(mean[j], rms.mean()[j], 1e-12, "mean[" + j + "]");
            assertEquals(var[j], rms.var()[j], 1e-12, "var[" + j + "]");
        }
        assertEquals(fx.get("rms", "count").asDouble(), rms.count(), 1e-12);
    }

    @Test
    void greedyActionNormalizesRawObservationsWithTheStoredStatistics() {
        TorchFixture.assertClose(fx.get("greedy", "action"), model().forward(Tensor.of(TorchFixture.floats(fx.get("greedy", "raw_obs")), 4, obsSize)), "greedy action", TOL);
    }
}

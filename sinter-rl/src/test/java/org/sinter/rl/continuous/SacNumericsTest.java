package org.sinter.rl.continuous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.rl.TorchFixture;
import org.sinter.rl.spaces.Box;

/**
 * SAC's numerics against PyTorch on a fixed batch with fixed noise (fixture written by
 * {@code tools/fixtures/gen_rl_sac.py} following CleanRL's {@code sac_continuous_action.py}): the
 * tanh-squashed Gaussian's sample and corrected log-probability, the critic, actor and temperature
 * losses, and their gradients, on an asymmetric two-dimensional action box.
 */
class SacNumericsTest {
    private static final double TOL = 2e-5;
    private JsonNode fx;
    private SquashedGaussianActor actor;
    private ContinuousQNetwork qf1, qf2, qf1Target, qf2Target;
    private int b, obsSize, actSize;

    @BeforeEach
    void load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/sac_torch.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        double[] low = doubles(fx.get("low")), high = doubles(fx.get("high"));
        int[] hidden = {fx.get("hidden").get(0).asInt(), fx.get("hidden").get(1).asInt()};
        Box box = new Box(low, high);
        actSize = low.length;
        b = fx.get("batch").get("size").asInt();
        obsSize = fx.get("batch").get("obs").size() / b;
        actor = load(new SquashedGaussianActor(obsSize, box, hidden), "actor");
        qf1 = load(new ContinuousQNetwork(obsSize, actSize, hidden), "qf1");
        qf2 = load(new ContinuousQNetwork(obsSize, actSize, hidden), "qf2");
        qf1Target = load(new ContinuousQNetwork(obsSize, actSize, hidden), "qf1_target");
        qf2Target = load(new ContinuousQNetwork(obsSize, actSize, hidden), "qf2_target");
    }

    @Test
    void squashedGaussianSampleAndLogProbMatchPyTorch() {
        SquashedGaussianActor.Sample s = actor.sample(batch("obs", obsSize), batch("eps", actSize));
        assertClose(fx.get("sample").get("action"), s.action(), "action");
        assertClose(fx.get("sample").get("log_prob"), s.logProb(), "log_prob");
        assertClose(fx.get("sample").get("mean_action"), s.meanAction(), "mean_action");
        assertClose(fx.get("sample").get("mean_action"), actor.forward(batch("obs", obsSize)), "greedy action");
    }

    @Test
    void criticLossAndGradientsMatchPyTorch() {
        Tensor notTerminated = batch("terminated", 0).neg().add(1.0);
        Tensor loss = SacLosses.critic(actor, qf1, qf2, qf1Target, qf2Target, fx.get("alpha").asDouble(), fx.get("gamma").asDouble(),
                batch("obs", obsSize), batch("actions", actSize), batch("rewards", 0), batch("next_obs", obsSize), notTerminated,
                batch("next_eps", actSize));
        assertEquals(fx.get("critic_loss").asDouble(), loss.item(), TOL * Math.max(1, Math.abs(fx.get("critic_loss").asDouble())));
        loss.backward();
        assertGrads(fx.get("critic_grads").get("qf1"), qf1, "qf1");
        assertGrads(fx.get("critic_grads").get("qf2"), qf2, "qf2");
        for (Tensor p : actor.parameters()) assertEquals(null, p.grad(), "the critic's target must not reach the actor");
    }

    @Test
    void actorAndTemperatureLossesAndGradientsMatchPyTorch() {
        Tensor[] lossAndLogProb = SacLosses.actor(actor, qf1, qf2, fx.get("alpha").asDouble(), batch("obs", obsSize), batch("eps", actSize));
        assertEquals(fx.get("actor_loss").asDouble(), lossAndLogProb[0].item(), TOL * Math.max(1, Math.abs(fx.get("actor_loss").asDouble())));
        lossAndLogProb[0].backward();
        assertGrads(fx.get("actor_grads"), actor, "actor");

        Tensor logAlpha = Tensor.of(new float[] {(float) fx.get("log_alpha").asDouble()}, 1).requiresGrad(true);
        Tensor alphaLoss = SacLosses.alpha(logAlpha, lossAndLogProb[1], fx.get("target_entropy").asDouble());
        assertEquals(fx.get("alpha_loss").asDouble(), alphaLoss.item(), TOL);
        alphaLoss.backward();
        assertEquals(fx.get("log_alpha_grad").asDouble(), logAlpha.grad().item(), TOL);
    }

    private <M extends Module> M load(M module, String name) {
        return TorchFixture.load(module, fx.get("modules").get(name));
    }

    /** A batch field as (B, width), or (B) when width is 0. */
    private Tensor batch(String field, int width) {
        float[] data = floats(fx.get("batch").get(field));
        return width == 0 ? Tensor.of(data, b) : Tensor.of(data, b, width);
    }

    private void assertGrads(JsonNode expected, Module module, String what) {
        TorchFixture.assertGrads(expected, module, what, TOL);
    }

    private static void assertClose(JsonNode expected, Tensor actual, String what) {
        TorchFixture.assertClose(expected, actual, what, TOL);
    }

    private static float[] floats(JsonNode array) {
        return TorchFixture.floats(array);
    }

    private static double[] doubles(JsonNode array) {
        return TorchFixture.doubles(array);
    }
}

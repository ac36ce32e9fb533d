package org.sinter.rl.continuous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.sinter.rl.TorchFixture.assertClose;
import static org.sinter.rl.TorchFixture.assertGrads;
import static org.sinter.rl.TorchFixture.floats;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.rl.TorchFixture;
import org.sinter.rl.spaces.Box;

/**
 * DDPG's and TD3's numerics against PyTorch on a fixed batch with fixed weights and noise (fixture
 * written by {@code tools/fixtures/gen_rl_td3.py} following CleanRL's {@code ddpg_continuous_action.py}
 * and {@code td3_continuous_action.py}): the targets, TD3's target-policy smoothing (both clips
 * active), the critic and actor losses with every gradient, and the soft target update, on an
 * asymmetric two-dimensional action box.
 */
class DeterministicLossesNumericsTest {
    private static final double TOL = 2e-5;
    private TorchFixture fx;
    private DeterministicActor actor, targetActor;
    private ContinuousQNetwork qf1, qf2, qf1Target, qf2Target;
    private Tensor low, high;
    private int b, obsSize, actSize;

    @BeforeEach
    void load() {
        fx = TorchFixture.read("td3_torch.json");
        double[] lo = TorchFixture.doubles(fx.get("low")), hi = TorchFixture.doubles(fx.get("high"));
        int[] hidden = {fx.get("hidden").get(0).asInt(), fx.get("hidden").get(1).asInt()};
        Box box = new Box(lo, hi);
        actSize = lo.length;
        b = fx.get("batch", "size").asInt();
        obsSize = fx.get("batch", "obs").size() / b;
        actor = TorchFixture.load(new DeterministicActor(obsSize, box, hidden), fx.get("modules", "actor"));
        targetActor = TorchFixture.load(new DeterministicActor(obsSize, box, hidden), fx.get("modules", "target_actor"));
        qf1 = TorchFixture.load(new ContinuousQNetwork(obsSize, actSize, hidden), fx.get("modules", "qf1"));
        qf2 = TorchFixture.load(new ContinuousQNetwork(obsSize, actSize, hidden), fx.get("modules", "qf2"));
        qf1Target = TorchFixture.load(new ContinuousQNetwork(obsSize, actSize, hidden), fx.get("modules", "qf1_target"));
        qf2Target = TorchFixture.load(new ContinuousQNetwork(obsSize, actSize, hidden), fx.get("modules", "qf2_target"));
        low = ActionBounds.bias(box).sub(ActionBounds.scale(box));
        high = ActionBounds.bias(box).add(ActionBounds.scale(box));
    }

    @Test
    void ddpgTargetCriticLossAndGradientsMatchPyTorch() {
        Tensor target = DeterministicLosses.ddpgTarget(targetActor, qf1Target, fx.get("gamma").asDouble(), batch("rewards", 0),
                batch("next_obs", obsSize), notTerminated());
        assertClose(fx.get("ddpg", "target"), target, "ddpg target", TOL);
        Tensor loss = DeterministicLosses.critic(target, batch("obs", obsSize), batch("actions", actSize), qf1);
        assertLoss(fx.get("ddpg", "critic_loss"), loss, "ddpg critic loss");
        loss.backward();
        assertGrads(fx.get("ddpg", "critic_grads"), qf1, "qf1", TOL);
        assertNoGrads(targetActor, qf1Target);
    }

    @Test
    void td3SmoothedTargetActionMatchesPyTorchWithBothClipsActive() {
        Tensor noise = batch("noise", actSize);
        double policyNoise = fx.get("policy_noise").asDouble(), noiseClip = fx.get("noise_clip").asDouble();
        Tensor next = DeterministicLosses.smoothedTargetAction(targetActor, batch("next_obs", obsSize), noise, policyNoise, noiseClip, low, high);
        assertClose(fx.get("td3", "next_actions"), next, "smoothed target action", TOL);
        float[] n = noise.toFloatArray(), a = next.toFloatArray();
        boolean noiseClipped = false, boxClipped = false;
        for (int i = 0; i < n.length; i++) {
            noiseClipped |= Math.abs(n[i] * policyNoise) > noiseClip;
            boxClipped |= a[i] == (float) (i % actSize == 0 ? -2.0 : 0.0) || a[i] == (float) (i % actSize == 0 ? 2.0 : 1.0);
        }
        assertEquals(true, noiseClipped, "the fixture's noise must exceed the noise clip somewhere");
        assertEquals(true, boxClipped, "the fixture's smoothed actions must reach the box somewhere");
    }

    @Test
    void td3TargetTwinCriticLossAndGradientsMatchPyTorch() {
        Tensor target = DeterministicLosses.td3Target(targetActor, qf1Target, qf2Target, fx.get("gamma").asDouble(), batch("rewards", 0),
                batch("next_obs", obsSize), notTerminated(), batch("noise", actSize), fx.get("policy_noise").asDouble(),
                fx.get("noise_clip").asDouble(), low, high);
        assertClose(fx.get("td3", "target"), target, "td3 target", TOL);
        Tensor loss = DeterministicLosses.critic(target, batch("obs", obsSize), batch("actions", actSize), qf1, qf2);
        assertLoss(fx.get("td3", "critic_loss"), loss, "td3 critic loss");
        loss.backward();
        assertGrads(fx.get("td3", "critic_grads", "qf1"), qf1, "qf1", TOL);
        assertGrads(fx.get("td3", "critic_grads", "qf2"), qf2, "qf2", TOL);
        assertNoGrads(targetActor, qf1Target, qf2Target);
    }

    @Test
    void actorLossAndGradientsMatchPyTorch() {
        Tensor loss = DeterministicLosses.actor(actor, qf1, batch("obs", obsSize));
        assertLoss(fx.get("actor_loss"), loss, "actor loss");
        loss.backward();
        assertGrads(fx.get("actor_grads"), actor, "actor", TOL);
    }

    @Test
    void softTargetUpdateMatchesPyTorch() {
        double tau = fx.get("tau").asDouble();
        OffPolicyTrainer.softUpdate(actor, targetActor, tau);
        OffPolicyTrainer.softUpdate(qf1, qf1Target, tau);
        assertState(fx.get("soft_update", "target_actor"), targetActor, "target actor");
        assertState(fx.get("soft_update", "qf1_target"), qf1Target, "qf1 target");
    }

    private void assertState(JsonNode expected, Module module, String what) {
        module.stateDict().forEach((name, t) -> assertClose(expected.get(name).get("data"), t, what + "." + name, TOL));
    }

    private static void assertLoss(JsonNode expected, Tensor loss, String what) {
        double e = expected.asDouble();
        assertEquals(e, loss.item(), TOL * Math.max(1, Math.abs(e)), what);
    }

    private static void assertNoGrads(Module... targets) {
        for (Module m : targets) for (Tensor p : m.parameters()) assertNull(p.grad(), "a target network must not receive gradients");
    }

    private Tensor notTerminated() {
        return batch("terminated", 0).neg().add(1.0);
    }

    /** A batch field as (B, width), or (B) when width is 0. */
    private Tensor batch(String field, int width) {
        float[] data = floats(fx.get("batch", field));
        return width == 0 ? Tensor.of(data, b) : Tensor.of(data, b, width);
    }
}

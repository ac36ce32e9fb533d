package org.sinter.rl.dqn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * The DQN variants against PyTorch/NumPy (fixture written by {@code tools/fixtures/gen_rl_dqn.py}):
 * the dueling network's Q-values, the double-DQN n-step target with per-row horizons, the
 * importance-weighted TD loss and its gradients; prioritized replay's stratified draws and
 * importance weights.
 */
class DqnVariantsNumericsTest {
    private static final double TOL = 2e-5;
    private JsonNode fx;

    @BeforeEach
    void load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/dqn_torch.json")) {
            fx = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void duelingDoubleDqnNStepWeightedLossMatchesPyTorch() {
        int obsSize = fx.get("obs_size").asInt(), actions = fx.get("num_actions").asInt();
        int[] hidden = {fx.get("hidden").get(0).asInt(), fx.get("hidden").get(1).asInt()};
        DuelingQNetwork online = load(new DuelingQNetwork(obsSize, actions, hidden), "online");
        DuelingQNetwork target = load(new DuelingQNetwork(obsSize, actions, hidden), "target");
        JsonNode b = fx.get("batch");
        int n = b.get("size").asInt();
        long[] a = new long[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) a[i] = b.get("actions").get(i).asLong();
        Replay.Batch batch = new Replay.Batch(floats(b.get("obs")), a, floats(b.get("rewards")), floats(b.get("next_obs")), floats(b.get("terminated")),
                floats(b.get("horizons")), floats(b.get("weights")), idx, n);
        assertClose(fx.get("q"), online.forward(Tensor.of(floats(b.get("obs")), n, obsSize)).toFloatArray(), "dueling Q");
        DqnLoss.Result r = DqnLoss.of(online, target, batch, obsSize, fx.get("gamma").asDouble(), true);
        float[] td = new float[n];
        for (int i = 0; i < n; i++) td[i] = (float) r.tdErrors()[i];
        assertClose(fx.get("td_errors"), td, "TD errors");
        assertEquals(fx.get("loss").asDouble(), r.loss().item(), TOL * Math.max(1, fx.get("loss").asDouble()), "loss");
        r.loss().backward();
        online.namedParameters().forEach((name, p) -> assertClose(fx.get("grads").get(name), p.grad().contiguous().toFloatArray(), name + ".grad"));
        for (Tensor p : target.parameters()) assertEquals(null, p.grad(), "the target network gets no gradient");
    }

    @Test
    void prioritizedDrawsAndImportanceWeightsMatchTheReference() {
        JsonNode per = fx.get("per");
        int slots = per.get("td_errors").size();
        PrioritizedReplayBuffer buffer = new PrioritizedReplayBuffer(16, 1, per.get("alpha").asDouble(), per.get("beta").asDouble(), per.get("epsilon").asDouble());
        int[] all = new int[slots];
        double[] td = new double[slots];
        for (int i = 0; i < slots; i++) {
            buffer.add(new double[] {i}, 0, 0, new double[] {i}, false, 1);
            all[i] = i;
            td[i] = per.get("td_errors").get(i).asDouble();
        }
        buffer.updatePriorities(all, td);
        for (int i = 0; i < slots; i++) assertEquals(per.get("probabilities").get(i).asDouble(), buffer.probability(i), 1e-12, "P(" + i + ")");
        double[] u = new double[per.get("uniforms").size()];
        for (int j = 0; j < u.length; j++) u[j] = per.get("uniforms").get(j).asDouble();
        Replay.Batch b = buffer.sample(u, per.get("beta").asDouble());
        int[] expected = new int[u.length];
        for (int j = 0; j < u.length; j++) expected[j] = per.get("indices").get(j).asInt();
        assertArrayEquals(expected, b.indices());
        for (int j = 0; j < u.length; j++) {
            assertEquals(expected[j], b.observations()[j], "the row comes from its slot");
            assertEquals(per.get("weights").get(j).asDouble(), b.weights()[j], 1e-6 * per.get("weights").get(j).asDouble(), "w[" + j + "]");
        }
    }

    private <M extends Module> M load(M module, String name) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        fx.get(name).properties().forEach(e -> {
            JsonNode shape = e.getValue().get("shape");
            int[] dims = new int[shape.size()];
            for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asInt();
            state.put(e.getKey(), Tensor.of(floats(e.getValue().get("data")), dims));
        });
        module.loadStateDict(state, true);
        return module;
    }

    private static void assertClose(JsonNode expected, float[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": element count");
        for (int i = 0; i < actual.length; i++) {
            double e = expected.get(i).asDouble();
            assertEquals(e, actual[i], TOL * Math.max(1, Math.abs(e)), what + "[" + i + "]");
        }
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) array.get(i).asDouble();
        return f;
    }
}

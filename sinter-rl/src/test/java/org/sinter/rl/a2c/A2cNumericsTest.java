package org.sinter.rl.a2c;

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
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.actorcritic.Gae;

/**
 * A2C's numerics against the reference (fixture written by {@code tools/fixtures/gen_rl_a2c.py}):
 * the n-step returns and GAE(0.95) advantages of a rollout with episode ends, as
 * Stable-Baselines3's rollout buffer computes them, and the A2C loss and its gradients on a fixed
 * batch, as Stable-Baselines3's {@code A2C.train} computes them in PyTorch.
 */
class A2cNumericsTest {
    private static final double TOL = 2e-5;
    private JsonNode fx;

    @BeforeEach
    void load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/a2c_torch.json")) {
            fx = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void nStepReturnsAndGaeMatchTheReferenceRolloutBuffer() {
        JsonNode r = fx.get("rollout");
        int steps = r.get("steps").asInt(), envs = r.get("envs").asInt();
        double[][] rewards = grid(r.get("rewards"), steps, envs), values = grid(r.get("values"), steps, envs), doneFlags = grid(r.get("dones"), steps, envs);
        boolean[][] dones = new boolean[steps][envs];
        for (int t = 0; t < steps; t++) for (int i = 0; i < envs; i++) dones[t][i] = doneFlags[t][i] != 0;
        double[] last = new double[envs];
        for (int i = 0; i < envs; i++) last[i] = r.get("last_values").get(i).asDouble();
        double gamma = fx.get("gamma").asDouble();
        assertGrid(fx.get("advantages_lambda_1"), Gae.advantages(rewards, values, dones, last, gamma, 1.0), "n-step (λ = 1)");
        assertGrid(fx.get("advantages_lambda_095"), Gae.advantages(rewards, values, dones, last, gamma, 0.95), "GAE(0.95)");
    }

    @Test
    void lossPartsAndGradientsMatchPyTorch() {
        ActorCritic model = new ActorCritic(fx.get("obs_size").asInt(), fx.get("num_actions").asInt(), fx.get("hidden").asInt());
        Map<String, Tensor> state = new LinkedHashMap<>();
        fx.get("state").properties().forEach(e -> {
            JsonNode shape = e.getValue().get("shape");
            int[] dims = new int[shape.size()];
            for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asInt();
            state.put(e.getKey(), Tensor.of(floats(e.getValue().get("data")), dims));
        });
        model.loadStateDict(state, true);
        JsonNode b = fx.get("batch");
        int n = b.get("size").asInt();
        long[] actions = new long[n];
        for (int i = 0; i < n; i++) actions[i] = b.get("actions").get(i).asLong();
        A2cLoss.Parts parts = A2cLoss.of(model, Tensor.of(floats(b.get("obs")), n, fx.get("obs_size").asInt()), Tensor.of(actions, n, 1),
                Tensor.of(floats(b.get("advantages")), n), Tensor.of(floats(b.get("returns")), n), fx.get("ent_coef").asDouble(), fx.get("vf_coef").asDouble());
        JsonNode loss = fx.get("loss");
        assertScalar(loss.get("policy"), parts.policy(), "policy loss");
        assertScalar(loss.get("value"), parts.value(), "value loss");
        assertScalar(loss.get("entropy"), parts.entropy(), "entropy");
        assertScalar(loss.get("total"), parts.total(), "total loss");
        parts.total().backward();
        model.namedParameters().forEach((name, p) -> {
            JsonNode e = fx.get("grads").get(name);
            if (e == null) throw new AssertionError("the fixture has no gradient for " + name);
            float[] g = p.grad().contiguous().toFloatArray();
            assertEquals(e.size(), g.length, name);
            for (int i = 0; i < g.length; i++) assertEquals(e.get(i).asDouble(), g[i], TOL * Math.max(1, Math.abs(e.get(i).asDouble())), name + ".grad[" + i + "]");
        });
    }

    private static void assertScalar(JsonNode expected, Tensor actual, String what) {
        assertEquals(expected.asDouble(), actual.item(), TOL * Math.max(1, Math.abs(expected.asDouble())), what);
    }

    private static void assertGrid(JsonNode expected, double[][] actual, String what) {
        int envs = actual[0].length;
        for (int t = 0; t < actual.length; t++) {
            for (int i = 0; i < envs; i++) assertEquals(expected.get(t * envs + i).asDouble(), actual[t][i], 1e-12, what + " [" + t + "][" + i + "]");
        }
    }

    private static double[][] grid(JsonNode flat, int rows, int cols) {
        double[][] g = new double[rows][cols];
        for (int t = 0; t < rows; t++) for (int i = 0; i < cols; i++) g[t][i] = flat.get(t * cols + i).asDouble();
        return g;
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) array.get(i).asDouble();
        return f;
    }
}

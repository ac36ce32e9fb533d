package org.sinter.rl.impala;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.sinter.rl.actorcritic.Gae;

/**
 * V-trace against the IMPALA reference transcribed in PyTorch ({@code tools/fixtures/gen_rl_vtrace.py})
 * for two sets of clip thresholds, and its on-policy special case: with π = μ and no clipping the
 * targets are the n-step returns, the same numbers GAE with λ = 1 gives.
 */
class VTraceTest {
    @Test
    void matchesTheReferenceForTwoClipSettings() throws IOException {
        JsonNode fx;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/vtrace_torch.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        int t = fx.get("steps").asInt(), n = fx.get("trajectories").asInt();
        double[] bootstrap = new double[n];
        for (int i = 0; i < n; i++) bootstrap[i] = fx.get("bootstrap").get(i).asDouble();
        for (JsonNode c : fx.get("cases")) {
            VTrace.Result r = VTrace.compute(grid(fx.get("log_rhos"), t, n), grid(fx.get("discounts"), t, n), grid(fx.get("rewards"), t, n),
                    grid(fx.get("values"), t, n), bootstrap, c.get("rho_bar").asDouble(), c.get("c_bar").asDouble(), c.get("pg_rho_bar").asDouble(),
                    c.get("lambda").asDouble());
            String what = "ρ̄ " + c.get("rho_bar") + ", c̄ " + c.get("c_bar") + ", λ " + c.get("lambda");
            assertGrid(c.get("vs"), r.vs(), "vs, " + what);
            assertGrid(c.get("pg_advantages"), r.pgAdvantages(), "pg advantages, " + what);
        }
    }

    @Test
    void onPolicyTargetsAreTheNStepReturns() {
        double[][] rewards = {{1, 0.5}, {2, -1}, {3, 0}}, values = {{0.3, 0.1}, {-0.2, 0.4}, {0.7, -0.5}};
        boolean[][] dones = {{false, false}, {true, false}, {false, false}};
        double gamma = 0.9;
        double[][] discounts = new double[3][2], zero = new double[3][2];
        for (int s = 0; s < 3; s++) for (int i = 0; i < 2; i++) discounts[s][i] = dones[s][i] ? 0 : gamma;
        double[] bootstrap = {1.5, -2};
        VTrace.Result r = VTrace.compute(zero, discounts, rewards, values, bootstrap, 1, 1, 1, 1);
        double[][] adv = Gae.advantages(rewards, values, dones, bootstrap, gamma, 1.0);
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 2; i++) assertEquals(adv[s][i] + values[s][i], r.vs()[s][i], 1e-12, "v[" + s + "][" + i + "]");
        }
        // By hand, trajectory 0: the episode ends at step 1, so v_1 = 2 and v_0 = 1 + 0.9·2; v_2 = 3 + 0.9·1.5.
        assertEquals(2.8, r.vs()[0][0], 1e-12);
        assertEquals(4.35, r.vs()[2][0], 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> VTrace.compute(new double[2][2], discounts, rewards, values, bootstrap, 1, 1, 1, 1));
        assertEquals("VTrace: discounts has 3 steps, expected 2", e.getMessage());
    }

    private static double[][] grid(JsonNode flat, int rows, int cols) {
        double[][] g = new double[rows][cols];
        for (int s = 0; s < rows; s++) for (int i = 0; i < cols; i++) g[s][i] = flat.get(s * cols + i).asDouble();
        return g;
    }

    private static void assertGrid(JsonNode expected, double[][] actual, String what) {
        int cols = actual[0].length;
        for (int s = 0; s < actual.length; s++) {
            for (int i = 0; i < cols; i++) assertEquals(expected.get(s * cols + i).asDouble(), actual[s][i], 1e-12, what + " [" + s + "][" + i + "]");
        }
    }
}

package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;
import org.sinter.privacy.TorchFixtures;

/**
 * Carlini-Wagner L2 against a PyTorch reference implementation of the authors' algorithm
 * ({@code tools/fixtures/gen_privacy.py}, torch.optim.Adam, float64), and against the closed-form
 * minimal perturbation of a linear model.
 */
class CarliniWagnerL2Test {
    @Test
    void matchesThePyTorchReference() throws IOException {
        Map<String, TorchFixtures.Case> cases = TorchFixtures.load(CarliniWagnerL2Test.class, "torch_cw.txt");
        assertEquals(4, cases.size());
        int successes = 0, failures = 0;
        for (TorchFixtures.Case c : cases.values()) {
            Module model = new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 3)).to(DType.FLOAT64);
            model.loadStateDict(Map.of("0.weight", c.tensor("w1"), "0.bias", c.tensor("b1"), "2.weight", c.tensor("w2"),
                    "2.bias", c.tensor("b2")), true);
            double[] s = c.values().get("settings");
            var cw = new CarliniWagnerL2(s[0], s[1], (int) s[2], (int) s[3], s[4], s[5] != 0, s[6], s[7]);
            Tensor x = c.tensor("x");
            Tensor y = c.tensor("y").to(DType.INT64);
            CarliniWagnerL2.Result r = cw.run(model, x, y);
            double[] expectedAdv = c.values().get("adversarial"), adv = r.adversarial().toDoubleArray();
            for (int i = 0; i < adv.length; i++) assertEquals(expectedAdv[i], adv[i], 1e-9, c.name() + " adversarial[" + i + "]");
            double[] ok = c.values().get("success"), l2 = c.values().get("l2"), consts = c.values().get("constants");
            boolean[] found = r.success().toBooleanArray();
            for (int i = 0; i < ok.length; i++) {
                assertEquals(ok[i] != 0, found[i], c.name() + " success[" + i + "]");
                if (found[i]) {
                    assertEquals(l2[i], r.l2()[i], 1e-9, c.name() + " l2[" + i + "]");
                    successes++;
                } else {
                    assertEquals(Double.POSITIVE_INFINITY, r.l2()[i]);
                    failures++;
                }
                assertEquals(consts[i], r.constants()[i], 1e-12 * consts[i], c.name() + " constant[" + i + "]");
            }
        }
        assertTrue(successes > 5 && failures > 3, "the fixtures exercise both outcomes: " + successes + " / " + failures);
    }

    /**
     * On a two-class linear model without a binding box, the smallest L2 change of the decision is
     * the distance to the hyperplane, {@code |m(x)| / ‖w1 − w0‖₂}; CW approaches it from above
     * as its binary search narrows c.
     */
    @Test
    void findsTheMinimalPerturbationOfALinearModel() {
        Sinter.manualSeed(41);
        Linear fc = new Linear(8, 2);
        fc.to(DType.FLOAT64);
        Tensor x;
        try (var _ = Sinter.noGrad()) {
            x = Tensor.rand(DType.FLOAT64, 6, 8).mul(0.2).add(0.4); // the middle of the [0, 1] box
        }
        Tensor margin = AttacksTest.margin(fc, x);
        Tensor y = margin.gt(0).to(DType.INT64); // the predicted class
        double w = fc.weight.select(0, 1).sub(fc.weight.select(0, 0)).pow(2).sum().sqrt().item();
        var cw = new CarliniWagnerL2(0, 0.01, 10, 500, 1e-2, false, 0, 1);
        CarliniWagnerL2.Result r = cw.run(fc, x, y);
        double[] m = margin.toDoubleArray();
        Tensor after = AttacksTest.margin(fc, r.adversarial());
        for (int i = 0; i < m.length; i++) {
            double optimal = Math.abs(m[i]) / w;
            assertTrue(r.success().toBooleanArray()[i], "sample " + i);
            assertTrue(r.l2()[i] >= optimal * (1 - 1e-6) && r.l2()[i] <= optimal * 1.03,
                    "sample " + i + ": CW's L2 " + r.l2()[i] + " vs the hyperplane's distance " + optimal);
            assertTrue(Math.signum(after.toDoubleArray()[i]) != Math.signum(m[i]) || after.toDoubleArray()[i] == 0, "decision changed");
        }
        assertTrue(r.adversarial().min().item() >= 0 && r.adversarial().max().item() <= 1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CarliniWagnerL2(-1, 0.01, 1, 1, 1, true, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CarliniWagnerL2(0, 0.01, 0, 1, 1, true, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CarliniWagnerL2(0, 0.01, 1, 1, 1, true, 1, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.defaults().run(
                new Linear(2, 2), Tensor.zeros(DType.FLOAT32, 3, 2), Tensor.zeros(DType.INT64, 2)));
        assertTrue(e.getMessage().contains("labels must be [3]"), e.getMessage());
    }
}

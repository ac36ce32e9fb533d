package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * Attacks on a two-class linear model, where the strongest attack is known in closed form: the
 * logit margin {@code m(x) = (w1 − w0)·x + (b1 − b0)} drops by at most {@code ε‖w1 − w0‖₁} under
 * L∞ and {@code ε‖w1 − w0‖₂} under L2, attained at {@code x − ε·sign(v)} and {@code x − ε·v/‖v‖₂}.
 */
class AttacksTest {
    static final double BIG = 1e9; // no input box: the closed forms hold exactly

    static Linear linearModel() {
        Sinter.manualSeed(31);
        Linear fc = new Linear(8, 2);
        fc.to(DType.FLOAT64);
        return fc;
    }

    static Tensor margin(Linear fc, Tensor x) {
        try (var _ = Sinter.noGrad()) {
            Tensor z = fc.forward(x);
            return z.select(1, 1).sub(z.select(1, 0));
        }
    }

    @Test
    void fgsmIsTheOptimalLInfAttackOnALinearModel() {
        Linear fc = linearModel();
        Tensor x = Tensor.randn(DType.FLOAT64, 6, 8);
        Tensor y = Tensor.ones(DType.INT64, 6); // class 1: the attack lowers the margin
        double eps = 0.1;
        Tensor adv = Fgsm.attack(fc, x, y, eps, -BIG, BIG);
        Tensor v = fc.weight.select(0, 1).sub(fc.weight.select(0, 0));
        double drop = eps * v.abs().sum().item();
        assertTrue(margin(fc, x).sub(margin(fc, adv)).allclose(Tensor.full(drop, DType.FLOAT64, 6), 1e-12, 1e-12));
        assertEquals(eps, adv.sub(x).abs().max().item(), 1e-12);
        assertTrue(fc.weight.grad() == null, "attacks leave the model's gradients alone");
        // The attack freezes the parameters for its pass (no weight gradients computed) and restores them.
        assertTrue(fc.weight.requiresGrad() && fc.bias.requiresGrad(), "parameters still require grad after the attack");
    }

    @Test
    void pgdReachesTheOptimumUnderBothNorms() {
        Linear fc = linearModel();
        Tensor x = Tensor.randn(DType.FLOAT64, 5, 8);
        Tensor y = Tensor.ones(DType.INT64, 5);
        Tensor v = fc.weight.select(0, 1).sub(fc.weight.select(0, 0));
        double eps = 0.2;
        Tensor advInf = new Pgd(Pgd.Norm.LINF, eps, 0.05, 20, 1, -BIG, BIG).attack(fc, x, y, new Generator(1));
        assertTrue(margin(fc, x).sub(margin(fc, advInf)).allclose(Tensor.full(eps * v.abs().sum().item(), DType.FLOAT64, 5), 1e-9, 1e-9));
        assertTrue(advInf.sub(x).abs().max().item() <= eps + 1e-12);
        Tensor adv2 = new Pgd(Pgd.Norm.L2, eps, 0.05, 60, 1, -BIG, BIG).attack(fc, x, y, new Generator(2));
        double l2drop = eps * v.pow(2).sum().sqrt().item();
        assertTrue(margin(fc, x).sub(margin(fc, adv2)).allclose(Tensor.full(l2drop, DType.FLOAT64, 5), 1e-6, 1e-6),
                margin(fc, x).sub(margin(fc, adv2)) + " vs " + l2drop);
        assertTrue(Pgd.rowNorms(adv2.sub(x)).max().item() <= eps + 1e-9);
    }

    @Test
    void pgdStaysInTheBoxAndRestartsNeverLowerTheLoss() {
        Sinter.manualSeed(32);
        Module model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3)).to(DType.FLOAT64);
        Tensor x = Tensor.rand(DType.FLOAT64, 10, 8);
        Tensor y = Tensor.randint(0, 3, 10);
        Tensor one = new Pgd(Pgd.Norm.LINF, 0.3, 0.01, 10, 1, 0, 1).attack(model, x, y, new Generator(3));
        Tensor five = new Pgd(Pgd.Norm.LINF, 0.3, 0.01, 10, 5, 0, 1).attack(model, x, y, new Generator(3));
        assertTrue(one.min().item() >= 0 && one.max().item() <= 1);
        assertTrue(five.sub(x).abs().max().item() <= 0.3 + 1e-12);
        Tensor lossOne = LossGradient.perSample(model, one, y), lossFive = LossGradient.perSample(model, five, y);
        // The first restart of the five-restart run is the one-restart run (same generator), so the best of five is never lower.
        assertTrue(lossFive.sub(lossOne).min().item() >= -1e-12);
        assertTrue(lossOne.sum().item() > LossGradient.perSample(model, x, y).sum().item(), "the attack raises the loss");
        double clean = Accuracy.of(model, x, y), robust = new Pgd(Pgd.Norm.LINF, 0.3, 0.01, 10, 2, 0, 1).robustAccuracy(model, x, y, new Generator(4));
        assertTrue(robust <= clean, robust + " > " + clean);
    }

    @Test
    void badBudgetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Pgd(Pgd.Norm.L2, -1, 0.1, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Pgd(Pgd.Norm.L2, 1, 0.1, 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Fgsm.attack(linearModel(), Tensor.zeros(DType.FLOAT64, 1, 8), Tensor.zeros(DType.INT64, 1), -0.1, 0, 1));
    }
}

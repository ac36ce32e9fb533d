package org.sinter.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;

/** Optimizer mechanics: groups and defaults, skipping, closures, state export and reload, errors. */
class OptimizerTest {

    private static Tensor param(float... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    @Test
    void groupsTakeMissingOptionsFromDefaults() {
        Tensor a = param(1, 2), b = param(3);
        SGD opt = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b).set("lr", 0.5)), SGD.options().lr(0.1).momentum(0.9));
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.5, opt.paramGroups().get(1).lr());
        assertEquals(0.9, opt.paramGroups().get(1).getDouble("momentum"));
        a.setGrad(Tensor.of(new float[] {1, 1}));
        b.setGrad(Tensor.of(new float[] {1}));
        opt.step();
        assertEquals(0.9, a.get(0), 1e-6);
        assertEquals(2.5, b.get(0), 1e-6);
    }

    @Test
    void stepUpdatesInPlaceUnderNoGradAndSkipsMissingGradients() {
        Linear l = new Linear(3, 2);
        Tensor w = l.weight;
        Tensor before = l.bias.clone();
        SGD opt = new SGD(l.parameters(), 0.1);
        l.forward(Tensor.ones(1, 3)).sum().backward();
        l.bias.zeroGrad();
        opt.step();
        assertSame(w, l.weight);
        assertTrue(w.isLeaf() && w.requiresGrad());
        assertTrue(l.bias.equal(before), "bias without gradient must not move");
        opt.zeroGrad();
        assertNull(l.weight.grad());
    }

    @Test
    void closureIsEvaluatedWithGradients() {
        Tensor x = param(3);
        SGD opt = new SGD(List.of(x), 0.25);
        try (var _ = Sinter.noGrad()) {
            Tensor loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = x.mul(x).sum();
                l.backward();
                return l;
            });
            assertEquals(9, loss.item(), 1e-6);
        }
        assertEquals(1.5, x.get(0), 1e-6);
    }

    /** Steps {@code make(params)} 3 times, exports, rebuilds on copies, reloads, and checks both continue identically. */
    private static void roundTrip(Function<List<Tensor>, Optimizer> make) {
        Sinter.manualSeed(3);
        List<Tensor> ps = List.of(Tensor.randn(3, 2).requiresGrad(true), Tensor.randn(4).requiresGrad(true));
        Optimizer opt = make.apply(ps);
        for (int s = 0; s < 3; s++) {
            for (Tensor p : ps) p.setGrad(Tensor.randnLike(p));
            opt.step();
        }
        Map<String, Tensor> tensors = opt.stateTensors();
        Map<String, Object> values = opt.stateValues();
        List<Tensor> copies = ps.stream().map(p -> p.detach().clone().requiresGrad(true)).toList();
        Optimizer resumed = make.apply(copies);
        resumed.loadState(tensors, values);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < ps.size(); i++) {
                Tensor g = Tensor.randnLike(ps.get(i));
                ps.get(i).setGrad(g);
                copies.get(i).setGrad(g.clone());
            }
            opt.step();
            resumed.step();
        }
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(ps.get(i).equal(copies.get(i)), opt.getClass().getSimpleName() + " diverged after reloading its state");
        }
    }

    @Test
    void stateRoundTripsForEveryOptimizer() {
        roundTrip(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).nesterov(true)));
        roundTrip(ps -> new Adam(ps, Adam.options().lr(0.01).amsgrad(true)));
        roundTrip(ps -> new AdamW(ps, AdamW.options().lr(0.01)));
        roundTrip(ps -> new RMSprop(ps, RMSprop.options().centered(true).momentum(0.5)));
        roundTrip(ps -> new Adagrad(ps, Adagrad.options().lrDecay(0.01)));
        roundTrip(ps -> new Adadelta(ps, Adadelta.options()));
    }

    @Test
    void exportUsesPyTorchStateDictKeys() {
        Tensor a = param(1, 2), b = param(3);
        Adam opt = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(b).set("lr", 0.5)), Adam.options());
        a.setGrad(Tensor.of(new float[] {1, 1}));
        b.setGrad(Tensor.of(new float[] {1}));
        opt.step();
        assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq"),
                List.copyOf(opt.stateTensors().keySet()));
        Map<String, Object> v = opt.stateValues();
        assertEquals(1L, v.get("state.1.step"));
        assertEquals(0.5, v.get("param_groups.1.lr"));
        assertEquals(List.of(0.9, 0.999), v.get("param_groups.0.betas"));
        assertEquals(List.of(1L), v.get("param_groups.1.params"));
    }

    @Test
    void badHyperParametersAreRejected() {
        List<Tensor> ps = List.of(param(1));
        assertEquals("Invalid learning rate: -1.0", assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, SGD.options().lr(0.1).nesterov(true)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Adam.options().betas(1.0, 0.9)));
        assertThrows(IllegalArgumentException.class, () -> new Adadelta(ps, Adadelta.options().rho(1.5)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, SGD.options()), "SGD needs an explicit lr");
        Tensor p = ps.get(0);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(ParamGroup.of(p), ParamGroup.of(p)), SGD.options().lr(1)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p.mul(2)), 0.1));
    }
}

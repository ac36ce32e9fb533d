package org.sinter.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;

/** The fused optimizer kernels against their composite references (same steps, same gradients). */
class FusedKernelTest {

    /** Runs a fused and a composite copy of one optimizer over the same six gradients and compares the parameters. */
    private static <O extends Optimizer> void compare(Function<List<Tensor>, O> make, java.util.function.BiConsumer<O, Boolean> setFused) {
        Sinter.manualSeed(9);
        List<Tensor> a = List.of(Tensor.randn(7, 5).requiresGrad(true), Tensor.randn(33).requiresGrad(true));
        List<Tensor> b = a.stream().map(t -> t.detach().clone().requiresGrad(true)).toList();
        O fused = make.apply(a), composite = make.apply(b);
        setFused.accept(composite, false);
        for (int s = 0; s < 6; s++) {
            for (int i = 0; i < a.size(); i++) {
                Tensor g = Tensor.randnLike(a.get(i));
                a.get(i).setGrad(g);
                b.get(i).setGrad(g.clone());
            }
            fused.step();
            composite.step();
        }
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).allclose(b.get(i), 1e-5, 1e-6), "fused and composite " + fused.getClass().getSimpleName() + " differ:\n"
                    + a.get(i) + "\n" + b.get(i));
        }
    }

    private static void compare(Function<List<Tensor>, Adam> make) {
        compare(make, Adam::setFused);
    }

    @Test
    void adamFusedMatchesComposite() {
        compare(ps -> new Adam(ps, Adam.options().lr(0.01)));
        compare(ps -> new Adam(ps, Adam.options().lr(0.01).weightDecay(0.1).amsgrad(true).maximize(true).betas(0.8, 0.99)));
        compare(ps -> new AdamW(ps, AdamW.options().lr(0.05).weightDecay(0.3)));
        compare(ps -> new AdamW(ps, AdamW.options().lr(0.05).amsgrad(true)));
    }

    @Test
    void sgdFusedMatchesComposite() {
        compare(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9)), SGD::setFused);
        compare(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.8).dampening(0.3).weightDecay(0.05).maximize(true)), SGD::setFused);
        compare(ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)), SGD::setFused);
    }

    @Test
    void adadeltaFusedMatchesComposite() {
        compare(ps -> new Adadelta(ps, Adadelta.options()), Adadelta::setFused);
        compare(ps -> new Adadelta(ps, Adadelta.options().lr(0.5).rho(0.8).eps(1e-4).weightDecay(0.1).maximize(true)), Adadelta::setFused);
    }

    @Test
    void fusedKernelsKeepInfiniteWeightsWithoutDecayFinite() {
        // With no weight decay, an infinite weight must not turn into NaN through 0·∞.
        Tensor p = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1f}, 2).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9));
        p.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        sgd.step();
        boolean[] inf = p.isinf().toBooleanArray(), nan = p.isnan().toBooleanArray();
        assertTrue(inf[0] && !nan[0] && !nan[1], p.toString());
    }
}

package org.sinter.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;

/** The fused optimizer kernels against their composite references (same steps, same gradients). */
class FusedKernelTest {

    private static void compare(Function<List<Tensor>, Adam> make) {
        Sinter.manualSeed(9);
        List<Tensor> a = List.of(Tensor.randn(7, 5).requiresGrad(true), Tensor.randn(33).requiresGrad(true));
        List<Tensor> b = a.stream().map(t -> t.detach().clone().requiresGrad(true)).toList();
        Adam fused = make.apply(a), composite = make.apply(b);
        composite.setFused(false);
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

    @Test
    void adamFusedMatchesComposite() {
        compare(ps -> new Adam(ps, Adam.options().lr(0.01)));
        compare(ps -> new Adam(ps, Adam.options().lr(0.01).weightDecay(0.1).amsgrad(true).maximize(true).betas(0.8, 0.99)));
        compare(ps -> new AdamW(ps, AdamW.options().lr(0.05).weightDecay(0.3)));
        compare(ps -> new AdamW(ps, AdamW.options().lr(0.05).amsgrad(true)));
    }
}

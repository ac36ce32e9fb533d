package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Dispatch;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Evaluates at compile time every node whose inputs are all constants, and propagates: its
 * results become constants for the nodes after it. With {@code frozen} parameters (inference,
 * {@code torch.jit.freeze}'s contract: the weights will not change) parameters count as constants
 * too, so weight-only work such as {@code W.t()} or BatchNorm's {@code rsqrt(var + eps)} is done
 * once. A fold never grows the graph's data: a result larger than every input it reads (an
 * {@code expand} of a scalar to a big shape) stays a node.
 */
public final class ConstantFolding implements Pass {
    private final boolean frozen;

    public ConstantFolding(boolean frozen) {
        this.frozen = frozen;
    }

    @Override public String name() { return frozen ? "constant folding (frozen parameters)" : "constant folding"; }

    @Override
    public Result run(Graph g) {
        int[] folded = {0};
        var r = Rewriter.apply(g, (n, args, out) -> {
            List<Tensor> values = new ArrayList<>();
            long largestInput = 0;
            for (Value a : args) {
                Graph.Parameter p = a == null ? null : out.parameter(a);
                if (p == null || p.tensor() == null || !(p.constant() || frozen)) return null;
                values.add(p.tensor());
                largestInput = Math.max(largestInput, p.tensor().numel());
            }
            if (args.isEmpty()) return null;
            for (Value o : n.outputs()) if (numel(o) > Math.max(largestInput, 1)) return null;
            Tensor[] results;
            try (var _ = Sinter.noGrad(); var _ = Dispatch.listen(null)) {
                results = Dispatch.apply(n.op(), values.toArray(Tensor[]::new));
                for (int i = 0; i < results.length; i++) results[i] = results[i].clone(); // own, dense memory (views included)
            }
            // Scalar arithmetic on Java numbers stays a Java number, so it promotes as one downstream.
            boolean wrapped = values.stream().allMatch(Tensor::isWrappedNumber);
            List<Value> outs = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                Tensor t = results[i];
                if (wrapped && t.dim() == 0) t = t.dtype().isFloatingPoint() ? Tensor.wrappedScalar(t.item()) : Tensor.wrappedScalar(t.itemLong());
                outs.add(out.addConstant("folded." + n.op().name() + "." + folded[0]++, t));
            }
            return outs;
        });
        return r.replaced() == 0 ? Result.unchanged(g) : new Result(r.graph(), "folded " + r.replaced() + " op" + (r.replaced() == 1 ? "" : "s"));
    }

    private static long numel(Value v) {
        long n = 1;
        for (int s : v.shape()) n *= s;
        return n;
    }
}

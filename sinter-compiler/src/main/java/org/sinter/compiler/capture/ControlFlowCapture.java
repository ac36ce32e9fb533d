package org.sinter.compiler.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.sinter.ControlFlow;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer.Region;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.ControlFlowOps.Cond;
import org.sinter.compiler.ir.ControlFlowOps.Scan;
import org.sinter.compiler.ir.ControlFlowOps.WhileLoop;
import org.sinter.ops.TensorSpec;

/**
 * What the tracer does when the traced function calls a {@link ControlFlow} primitive: it traces
 * each branch or body once into its own region (both branches, whatever the predicate will be),
 * checks the regions against each other as JAX does, and records one node through the engine's
 * dispatch, so the node is run on the meta backend and recorded for autograd like any op.
 */
final class ControlFlowCapture {
    private ControlFlowCapture() {}

    static Tensor[] cond(Tracer tracer, Tensor pred, Function<Tensor[], Tensor[]> ifTrue, Function<Tensor[], Tensor[]> ifFalse, Tensor[] operands) {
        ControlFlow.checkPredicate("cond", "the predicate", spec(pred));
        List<TensorSpec> specs = ControlFlow.specs(operands);
        Region t = tracer.traceRegion("cond", "ifTrue", specs, List.of(), ifTrue);
        Region f = tracer.traceRegion("cond", "ifFalse", specs, t.captures(), ifFalse);
        t.takeAlso(f.captures());
        Cond op = new Cond(t.graph(), f.graph());
        return Dispatch.apply(op, join(List.of(pred), List.of(operands), f.captures()));
    }

    static Tensor[] whileLoop(Tracer tracer, Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body, Tensor[] init) {
        List<TensorSpec> specs = ControlFlow.specs(init);
        Region c = tracer.traceRegion("whileLoop", "cond", specs, List.of(), s -> new Tensor[] {cond.apply(s)});
        Region b = tracer.traceRegion("whileLoop", "body", specs, c.captures(), body);
        c.takeAlso(b.captures());
        ControlFlow.checkSame("whileLoop", "the body must keep the loop state's shapes and dtypes", "init is", specs, "the body returns",
                ControlFlowOps.outputSpecs(b.graph()));
        WhileLoop op = new WhileLoop(c.graph(), b.graph());
        return Dispatch.apply(op, join(List.of(init), b.captures()));
    }

    static ControlFlow.ScanResult scan(Tracer tracer, BiFunction<Tensor[], Tensor[], ControlFlow.ScanStep> body, Tensor[] init, Tensor[] xs,
                                       boolean reverse) {
        ControlFlow.scanLength(ControlFlow.specs(xs));
        List<TensorSpec> specs = new ArrayList<>(ControlFlow.specs(init));
        for (Tensor x : xs) specs.add(ControlFlowOps.sliceOf(spec(x)));
        int k = init.length;
        Region b = tracer.traceRegion("scan", "body", specs, List.of(), in -> {
            ControlFlow.ScanStep step = body.apply(Arrays.copyOf(in, k), Arrays.copyOfRange(in, k, in.length));
            if (step == null || step.carry() == null || step.y() == null) throw new IllegalArgumentException("scan: the body returned null");
            return join(List.of(step.carry()), List.of(step.y()));
        });
        if (b.graph().outputs().size() < k) {
            throw new IllegalArgumentException("scan: the body must keep the carry's shapes and dtypes: the carry is "
                    + ControlFlow.text(ControlFlow.specs(init)) + ", the body returns " + ControlFlow.text(ControlFlowOps.outputSpecs(b.graph()))
                    + " in all (carry and y)");
        }
        Scan op = new Scan(k, xs.length, reverse, b.graph());
        Tensor[] out = Dispatch.apply(op, join(List.of(init), List.of(xs), b.captures()));
        return new ControlFlow.ScanResult(Arrays.copyOf(out, k), Arrays.copyOfRange(out, k, out.length));
    }

    private static TensorSpec spec(Tensor t) {
        return new TensorSpec(t.shape(), t.dtype());
    }

    @SafeVarargs
    private static Tensor[] join(List<Tensor>... parts) {
        List<Tensor> all = new ArrayList<>();
        for (List<Tensor> p : parts) all.addAll(p);
        return all.toArray(Tensor[]::new);
    }
}

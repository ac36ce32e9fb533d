package org.sinter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.sinter.ops.TensorSpec;

/**
 * Data-dependent control flow as three primitives, JAX's {@code lax.cond}, {@code lax.while_loop}
 * and {@code lax.scan} (PyTorch's {@code torch.cond} and {@code while_loop}). Eagerly they run the
 * Java branch or loop, so autograd records the ops they run like any other. A tracer records each
 * call as one graph node holding its branches or body as sub-graphs, so the branch taken or the trip
 * count is decided when the compiled graph runs, not when it was traced: a Java {@code if} or
 * {@code for} on a tensor's value is unrolled by tracing and baked in.
 *
 * <p>The rules are JAX's: both branches return the same number of tensors with the same shapes and
 * dtypes, a loop's state and a scan's carry keep theirs from one iteration to the next, and a
 * predicate is a bool tensor with one element. The functions may read tensors they close over.
 */
public final class ControlFlow {
    private ControlFlow() {}

    /** What a scan body returns for one step: the next carry and this step's outputs. */
    public record ScanStep(Tensor[] carry, Tensor[] y) {}

    /** What a scan returns: the final carry and each output stacked over the steps along dimension 0. */
    public record ScanResult(Tensor[] carry, Tensor[] ys) {}

    /**
     * Records control flow instead of running it; installed as the thread's {@link Dispatch} listener
     * (the graph compiler's tracer). The arguments are the user's, unchecked.
     */
    public interface Capture {
        Tensor[] cond(Tensor pred, Function<Tensor[], Tensor[]> ifTrue, Function<Tensor[], Tensor[]> ifFalse, Tensor[] operands);

        Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body, Tensor[] init);

        ScanResult scan(BiFunction<Tensor[], Tensor[], ScanStep> body, Tensor[] init, Tensor[] xs, boolean reverse);
    }

    /** {@code pred ? ifTrue(operands) : ifFalse(operands)}; both branches must return tensors of the same shapes and dtypes. */
    public static Tensor[] cond(Tensor pred, Function<Tensor[], Tensor[]> ifTrue, Function<Tensor[], Tensor[]> ifFalse, Tensor... operands) {
        if (Dispatch.listener() instanceof Capture c) return c.cond(pred, ifTrue, ifFalse, operands);
        checkPredicate("cond", "the predicate", spec(pred));
        // Only the branch taken runs, so the other's agreement is checked when the call is traced (as for a Java if).
        boolean taken = pred.item() != 0;
        return returned("cond", taken ? "ifTrue" : "ifFalse", (taken ? ifTrue : ifFalse).apply(operands.clone()));
    }

    /** {@code state = init; while (cond(state)) state = body(state); return state}; the body keeps the state's shapes and dtypes. */
    public static Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body, Tensor... init) {
        if (Dispatch.listener() instanceof Capture c) return c.whileLoop(cond, body, init);
        List<TensorSpec> specs = specs(init);
        Tensor[] state = init.clone();
        while (true) {
            Tensor go = cond.apply(state.clone());
            if (go == null) throw new IllegalArgumentException("whileLoop: cond returned null");
            checkPredicate("whileLoop", "cond's result", spec(go));
            if (go.item() == 0) return state;
            state = returned("whileLoop", "body", body.apply(state.clone()));
            checkSame("whileLoop", "the body must keep the loop state's shapes and dtypes", "init is", specs, "the body returns", specs(state));
        }
    }

    /** {@link #scan(BiFunction, Tensor[], Tensor[], boolean)} from the first step to the last. */
    public static ScanResult scan(BiFunction<Tensor[], Tensor[], ScanStep> body, Tensor[] init, Tensor... xs) {
        return scan(body, init, xs, false);
    }

    /**
     * Runs {@code body(carry, x_i)} for each slice {@code x_i} of the {@code xs} along dimension 0 (from
     * the last to the first when {@code reverse}), threading the carry; returns the final carry and
     * each step's outputs stacked in step-index order. The body keeps the carry's shapes and dtypes
     * and returns outputs of the same shapes and dtypes at every step.
     */
    public static ScanResult scan(BiFunction<Tensor[], Tensor[], ScanStep> body, Tensor[] init, Tensor[] xs, boolean reverse) {
        if (Dispatch.listener() instanceof Capture c) return c.scan(body, init, xs, reverse);
        int length = scanLength(specs(xs));
        if (length == 0) {
            throw new IllegalArgumentException("scan: the xs have length 0; eagerly the outputs' shapes are unknown until the body runs once");
        }
        List<TensorSpec> carrySpecs = specs(init);
        Tensor[] carry = init.clone();
        List<List<Tensor>> ys = new ArrayList<>();
        List<TensorSpec> ySpecs = null;
        for (int k = 0; k < length; k++) {
            int i = reverse ? length - 1 - k : k;
            Tensor[] x = new Tensor[xs.length];
            for (int j = 0; j < xs.length; j++) x[j] = xs[j].select(0, i);
            ScanStep step = body.apply(carry.clone(), x);
            if (step == null || step.carry() == null || step.y() == null) throw new IllegalArgumentException("scan: the body returned null");
            carry = returned("scan", "body", step.carry());
            checkSame("scan", "the body must keep the carry's shapes and dtypes", "the carry is", carrySpecs, "the body returns", specs(carry));
            Tensor[] y = returned("scan", "body", step.y());
            if (ySpecs == null) {
                ySpecs = specs(y);
                for (int j = 0; j < y.length; j++) ys.add(new ArrayList<>(java.util.Collections.nCopies(length, null)));
            }
            checkSame("scan", "the body's outputs must keep their shapes and dtypes from step to step", "the first step gave", ySpecs,
                    "step " + i + " gives", specs(y));
            for (int j = 0; j < y.length; j++) ys.get(j).set(i, y[j]);
        }
        Tensor[] stacked = new Tensor[ys.size()];
        for (int j = 0; j < stacked.length; j++) stacked[j] = Tensor.stack(ys.get(j), 0);
        return new ScanResult(carry, stacked);
    }

    /** The common leading dimension of a scan's xs; the error names the primitive and the shapes. */
    public static int scanLength(List<TensorSpec> xs) {
        if (xs.isEmpty()) throw new IllegalArgumentException("scan: needs at least one tensor to scan over (xs)");
        int length = -1;
        for (TensorSpec x : xs) {
            if (x.shape().length == 0) throw new IllegalArgumentException("scan: the xs are scanned along dimension 0, got a 0-d " + text(x));
            if (length >= 0 && x.shape()[0] != length) {
                throw new IllegalArgumentException("scan: the xs must share their leading dimension, got " + text(xs));
            }
            length = x.shape()[0];
        }
        return length;
    }

    /** A predicate is a bool tensor with one element. */
    public static void checkPredicate(String primitive, String what, TensorSpec spec) {
        int n = 1;
        for (int s : spec.shape()) n *= s;
        if (spec.dtype() != DType.BOOL || n != 1) {
            throw new IllegalArgumentException(primitive + ": " + what + " must be a bool tensor with one element, got " + text(spec));
        }
    }

    /** Fails, naming the primitive and both sides, unless two signatures agree tensor for tensor. */
    public static void checkSame(String primitive, String rule, String expectedWhat, List<TensorSpec> expected, String gotWhat, List<TensorSpec> got) {
        if (!expected.equals(got)) {
            throw new IllegalArgumentException(primitive + ": " + rule + ": " + expectedWhat + " " + text(expected) + ", " + gotWhat + " " + text(got));
        }
    }

    /** {@code float32[2, 3]}, as the graph's text form writes types. */
    public static String text(TensorSpec spec) {
        return spec.dtype().name().toLowerCase(java.util.Locale.ROOT) + Arrays.toString(spec.shape());
    }

    public static String text(List<TensorSpec> specs) {
        return specs.stream().map(ControlFlow::text).toList().toString();
    }

    public static List<TensorSpec> specs(Tensor... ts) {
        List<TensorSpec> out = new ArrayList<>(ts.length);
        for (Tensor t : ts) out.add(spec(t));
        return out;
    }

    private static TensorSpec spec(Tensor t) {
        return new TensorSpec(t.shape(), t.dtype());
    }

    /** A function's tensors, refused when missing (the error names the primitive and the function). */
    public static Tensor[] returned(String primitive, String function, Tensor[] ts) {
        if (ts == null) throw new IllegalArgumentException(primitive + ": " + function + " returned null");
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) throw new IllegalArgumentException(primitive + ": " + function + " returned null as tensor " + i + " of " + Arrays.toString(ts));
        }
        return ts;
    }
}

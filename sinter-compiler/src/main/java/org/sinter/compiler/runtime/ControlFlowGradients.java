package org.sinter.compiler.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.sinter.Autograd;
import org.sinter.ControlFlow;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps.Cond;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.ControlFlowOps.Scan;
import org.sinter.compiler.ir.ControlFlowOps.WhileLoop;
import org.sinter.compiler.ir.Graph;
import org.sinter.ops.ShapeOps;

/**
 * The backward of a control-flow node differentiated whole (a traced training step), written with
 * the primitives themselves, as JAX does, so the backward is data-dependent too and is traced into
 * the training graph: a cond's backward is a cond of its branches' vector-Jacobian products; a
 * scan's backward recomputes the carries with a second forward scan (rematerialisation, rather than
 * keeping them as extra outputs) and runs the body's vector-Jacobian product in a scan the other
 * way, summing the gradients of the tensors the body captured. A while loop's trip count is known
 * only when it runs, so it is refused, as JAX refuses reverse mode through {@code while_loop}.
 * Eagerly none of this is needed: the primitives run their regions op by op and autograd records those.
 */
public final class ControlFlowGradients {
    private ControlFlowGradients() {}

    public static Tensor[] backward(ControlFlowOp op, SavedContext ctx, Tensor[] grads) {
        return switch (op) {
            case Cond c -> cond(c, ctx, grads);
            case Scan s -> scan(s, ctx, grads);
            case WhileLoop w -> throw new UnsupportedOperationException("whileLoop: reverse-mode differentiation through a while loop is not "
                    + "supported (its trip count is known only when it runs; JAX refuses it too): write the loop as a scan of fixed length, "
                    + "or train eagerly, where the loop runs op by op and autograd records it");
        };
    }

    private static Tensor[] cond(Cond c, SavedContext ctx, Tensor[] grads) {
        Tensor[] operands = inputs(ctx, 1, ctx.numInputs());
        int[] wrt = differentiable(ctx, 1, operands.length);
        int[] seeded = IntStream.range(0, grads.length).filter(i -> grads[i] != null).toArray();
        Tensor[] result = new Tensor[ctx.numInputs()];
        if (wrt.length == 0 || seeded.length == 0) return result;
        Tensor[] seeds = Arrays.stream(seeded).mapToObj(i -> grads[i]).toArray(Tensor[]::new);
        int n = operands.length;
        Tensor[] g = ControlFlow.cond(ctx.input(0),
                a -> vjp(in -> Interpreter.run(c.ifTrue(), in), Arrays.copyOf(a, n), wrt, seeded, Arrays.copyOfRange(a, n, a.length)),
                a -> vjp(in -> Interpreter.run(c.ifFalse(), in), Arrays.copyOf(a, n), wrt, seeded, Arrays.copyOfRange(a, n, a.length)),
                ControlFlowExecution.concat(operands, seeds));
        for (int j = 0; j < wrt.length; j++) result[1 + wrt[j]] = g[j];
        return result;
    }

    private static Tensor[] scan(Scan s, SavedContext ctx, Tensor[] grads) {
        int k = s.carries(), m = s.xs(), total = ctx.numInputs();
        Graph body = s.body();
        Tensor[] init = inputs(ctx, 0, k), xs = inputs(ctx, k, k + m), captures = inputs(ctx, k + m, total);
        // Gradients flow through every floating-point carry, whatever init needs; xs and captures only where asked.
        int[] carries = IntStream.range(0, k).filter(i -> init[i].dtype().isFloatingPoint()).toArray();
        int[] wrtXs = differentiable(ctx, k, m), wrtCaptures = differentiable(ctx, k + m, captures.length);
        int[] seededYs = IntStream.range(k, grads.length).filter(i -> grads[i] != null).map(i -> i - k).toArray();
        Tensor[] result = new Tensor[total];
        if (wrtXs.length + wrtCaptures.length == 0 && Arrays.stream(carries).noneMatch(i -> ctx.needsInputGrad(i))) return result;

        // The carry before each step, stacked in step order: a forward scan whose outputs are its carries.
        Tensor[] history = k == 0 ? new Tensor[0] : ControlFlow.scan((c, x) -> new ControlFlow.ScanStep(
                Arrays.copyOf(Interpreter.run(body, join(c, x, captures)), k), c), init, xs, s.reverse()).ys();

        List<Tensor> gInit = new ArrayList<>();
        for (int i : carries) gInit.add(grads[i] != null ? grads[i] : zerosLike(init[i]));
        for (int j : wrtCaptures) gInit.add(zerosLike(captures[j]));
        List<Tensor> backXs = new ArrayList<>(List.of(xs));
        backXs.addAll(List.of(history));
        for (int y : seededYs) backXs.add(grads[k + y]);

        // Seeds: the next carry's gradient and this step's output gradient; wrt: the carry, the slices, the captures.
        int[] wrt = IntStream.concat(IntStream.concat(Arrays.stream(carries), Arrays.stream(wrtXs).map(j -> k + j)),
                Arrays.stream(wrtCaptures).map(j -> k + m + j)).toArray();
        int[] seeded = IntStream.concat(Arrays.stream(carries), Arrays.stream(seededYs).map(y -> k + y)).toArray();
        int fc = carries.length, fx = wrtXs.length;
        ControlFlow.ScanResult back = ControlFlow.scan((gc, bx) -> {
            Tensor[] x = Arrays.copyOf(bx, m), c = Arrays.copyOfRange(bx, m, m + k), gy = Arrays.copyOfRange(bx, m + k, bx.length);
            Tensor[] seeds = ControlFlowExecution.concat(Arrays.copyOf(gc, fc), gy);
            Tensor[] g = vjp(in -> Interpreter.run(body, in), join(c, x, captures), wrt, seeded, seeds);
            Tensor[] carry = Arrays.copyOf(g, fc + wrtCaptures.length);
            for (int j = 0; j < wrtCaptures.length; j++) carry[fc + j] = gc[fc + j].add(g[fc + fx + j]);
            return new ControlFlow.ScanStep(carry, Arrays.copyOfRange(g, fc, fc + fx));
        }, gInit.toArray(Tensor[]::new), backXs.toArray(Tensor[]::new), !s.reverse());

        for (int j = 0; j < fc; j++) result[carries[j]] = ctx.needsInputGrad(carries[j]) ? back.carry()[j] : null;
        for (int j = 0; j < fx; j++) result[k + wrtXs[j]] = back.ys()[j];
        for (int j = 0; j < wrtCaptures.length; j++) result[k + m + wrtCaptures[j]] = back.carry()[fc + j];
        return result;
    }

    /**
     * The vector-Jacobian product of {@code fn} at {@code inputs}: the gradients, with respect to the
     * inputs at {@code wrt}, of the outputs at {@code seeded} weighted by {@code seeds}; zeros where an
     * input does not reach them. Recomputes {@code fn} with autograd on.
     */
    private static Tensor[] vjp(Function<Tensor[], Tensor[]> fn, Tensor[] inputs, int[] wrt, int[] seeded, Tensor[] seeds) {
        Tensor[] in = inputs.clone();
        List<Tensor> leaves = new ArrayList<>();
        for (int j : wrt) {
            in[j] = inputs[j].detach().requiresGrad(true);
            leaves.add(in[j]);
        }
        List<Tensor> outs = new ArrayList<>(), weights = new ArrayList<>();
        boolean createGraph = GradMode.isEnabled();
        try (var _ = GradMode.set(true)) {
            Tensor[] out = fn.apply(in);
            for (int i = 0; i < seeded.length; i++) {
                if (out[seeded[i]].requiresGrad()) { // an output that does not depend on the leaves gets no gradient through
                    outs.add(out[seeded[i]]);
                    weights.add(seeds[i]);
                }
            }
        }
        List<Tensor> g = outs.isEmpty() ? null : Autograd.grad(outs, leaves, weights, false, createGraph, true);
        Tensor[] result = new Tensor[wrt.length];
        for (int j = 0; j < wrt.length; j++) result[j] = g != null && g.get(j) != null ? g.get(j) : zerosLike(inputs[wrt[j]]);
        return result;
    }

    /** Indices (relative to {@code from}) of the {@code count} inputs from {@code from} that need a floating-point gradient. */
    private static int[] differentiable(SavedContext ctx, int from, int count) {
        return IntStream.range(0, count).filter(j -> ctx.needsInputGrad(from + j) && ctx.inputDtype(from + j).isFloatingPoint()).toArray();
    }

    private static Tensor[] inputs(SavedContext ctx, int from, int to) {
        Tensor[] out = new Tensor[to - from];
        for (int i = from; i < to; i++) out[i - from] = ctx.input(i);
        return out;
    }

    /** Zeros made by an op, so a tracer records them. */
    private static Tensor zerosLike(Tensor t) {
        return Dispatch.apply1(new ShapeOps.Fill(0.0), t);
    }

    private static Tensor[] join(Tensor[] a, Tensor[] b, Tensor[] c) {
        return ControlFlowExecution.concat(ControlFlowExecution.concat(a, b), c);
    }
}

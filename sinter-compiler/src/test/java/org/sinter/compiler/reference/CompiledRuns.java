package org.sinter.compiler.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.testing.Compare;
import org.sinter.testing.TensorData;
import org.sinter.testing.Tolerance;

/**
 * The three ways a fixture case runs compiled, and the record of how far compiled results were
 * from PyTorch's and from eager ones. <b>Inference</b>: {@link Compiler#compile} called without
 * gradients, which runs the lowered program (fused kernels). <b>Recording</b>: the same compiled
 * function called with autograd on, which runs the graph op by op so {@code backward()} works.
 * <b>Traced backward</b>: forward and backward traced into one graph ({@link Tracer#traceGradients},
 * what {@code CompiledTrainingStep} runs), optimised and lowered; the tensors to differentiate are
 * bound to it, inputs included, so it yields the gradients of inputs as well as of parameters.
 */
final class CompiledRuns {
    private CompiledRuns() {}

    /** A compiled function of the inputs, reading {@code state} (parameters and buffers). */
    static CompiledFunction compile(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state) {
        return Compiler.compile(fn, state, CompileOptions.defaults());
    }

    static Tensor[] inference(CompiledFunction f, Tensor... inputs) {
        try (var _ = Sinter.noGrad()) {
            return f.call(inputs);
        }
    }

    /**
     * Traces {@code lossAndOutputs} (a 0-d loss, then any outputs) with its backward, reading only
     * {@code bound}; returns the loss and outputs, then the gradient of every bound tensor that
     * requires grad, by tensor.
     */
    static Traced tracedBackward(Supplier<Tensor[]> lossAndOutputs, Map<String, Tensor> bound) {
        Graph g = Tracer.traceGradients(in -> lossAndOutputs.get(), List.of(), bound);
        Program p = Program.compile(CompileOptions.defaults().passes().run(g).graph());
        Tensor[] out;
        try (var _ = Sinter.noGrad()) {
            out = p.run(Tensor.scalar(1.0, p.graph().inputs().get(0).dtype()));
        }
        List<Tensor> trained = new ArrayList<>();
        for (Tensor t : new LinkedHashSet<>(bound.values())) if (t.requiresGrad()) trained.add(t);
        int results = out.length - trained.size();
        Map<Tensor, Tensor> grads = new java.util.IdentityHashMap<>();
        for (int i = 0; i < trained.size(); i++) grads.put(trained.get(i), out[results + i]);
        return new Traced(java.util.Arrays.copyOf(out, results), grads);
    }

    record Traced(Tensor[] lossAndOutputs, Map<Tensor, Tensor> grads) {}

    /** Clears the gradients eager autograd left, so the next run starts from none. */
    static void clearGrads(Iterable<Tensor> tensors) {
        for (Tensor t : tensors) if (t != null) t.zeroGrad();
    }

    // ------------------------------------------------------------------ comparisons

    /** Largest |compiled - reference| seen per comparison, for the summary a run prints. */
    private static final Map<String, Double> WORST = new ConcurrentHashMap<>();

    /** Asserts {@code actual} within {@code tol} of PyTorch's {@code expected}, and records the distance. */
    static void againstPyTorch(String kind, String what, Tensor actual, TensorData expected, Tolerance tol) {
        Compare.assertClose(what, actual, expected, tol);
        record(kind + " vs PyTorch", actual, expected.toTensor());
    }

    /** Asserts compiled {@code actual} within {@code tol} of the eager result, and records the distance. */
    static void againstEager(String kind, String what, Tensor actual, Tensor eager, Tolerance tol) {
        Compare.assertClose(what + " (vs eager)", actual, TensorData.of(eager), tol);
        record(kind + " vs eager", actual, eager);
    }

    private static void record(String key, Tensor actual, Tensor expected) {
        if (!actual.isFloatingPoint() || actual.numel() == 0) return;
        Tensor a = actual.to(org.sinter.DType.FLOAT64), e = expected.to(org.sinter.DType.FLOAT64);
        double d = 0;
        double[] av = a.toDoubleArray(), ev = e.toDoubleArray();
        for (int i = 0; i < av.length; i++) if (Double.isFinite(ev[i])) d = Math.max(d, Math.abs(av[i] - ev[i]));
        WORST.merge(key, d, Math::max);
    }

    /** One line per comparison whose name starts with {@code prefix}: the largest difference seen. */
    static String summary(String prefix) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        WORST.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().forEach(k -> sorted.put(k, WORST.get(k)));
        StringBuilder sb = new StringBuilder();
        sorted.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-44s max |diff| %.3g%n", k, v)));
        return sb.toString();
    }
}

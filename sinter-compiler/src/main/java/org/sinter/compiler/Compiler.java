package org.sinter.compiler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * The entry point, Sinter's {@code torch.compile}: a module or a function of tensors becomes a
 * {@link CompiledFunction} that traces on its first call (on the meta backend: shapes only, no
 * computation), optimises the graph, caches it under guards and runs it.
 *
 * <p>Tracing records what the engine executes, so Java control flow is unrolled for the traced
 * shapes (as {@code torch.jit.trace} does). Control flow on a tensor's value is written with
 * {@link org.sinter.ControlFlow}'s {@code cond}, {@code whileLoop} and {@code scan}, which the graph
 * keeps as nodes holding their branches and bodies, decided when the graph runs. What a trace
 * cannot represent is refused with an error naming the op.
 */
public final class Compiler {
    private Compiler() {}

    /** Compiles {@code module.forward}; its parameters and buffers are bound to the graph and read at run time. */
    public static CompiledFunction compile(Module module, CompileOptions options) {
        Map<String, Tensor> state = new LinkedHashMap<>(module.namedParameters());
        module.namedBuffers().forEach((k, v) -> state.put(k, v));
        return new CompiledFunction(in -> {
            if (in.length != 1) throw new IllegalArgumentException("compile: a module's forward takes one input, got " + in.length);
            return new Tensor[] {module.forward(in[0])};
        }, state, options);
    }

    public static CompiledFunction compile(Module module) {
        return compile(module, CompileOptions.defaults());
    }

    /** Compiles a function of tensors that reads no tensors besides its inputs and {@code state} (name → tensor). */
    public static CompiledFunction compile(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, CompileOptions options) {
        return new CompiledFunction(fn, new LinkedHashMap<>(state), options);
    }

    public static CompiledFunction compile(Function<Tensor[], Tensor[]> fn) {
        return compile(fn, Map.of(), CompileOptions.defaults());
    }
}

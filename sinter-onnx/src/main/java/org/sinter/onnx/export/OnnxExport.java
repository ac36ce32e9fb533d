package org.sinter.onnx.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.io.AtomicFiles;
import org.sinter.nn.Module;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.OperatorSetIdProto;
import org.sinter.ops.TensorSpec;

/**
 * Sinter's {@code torch.onnx.export}: a module (or a function of tensors, or an already traced
 * graph) written as an ONNX model. The function is traced by the compiler's tracer on the
 * example inputs' shapes (meta tensors: nothing is computed), and the graph of engine primitives
 * is lowered node by node to ONNX operators ({@link OpLowering}); parameters and buffers become
 * initializers under their module paths, so the file reads like PyTorch's. A module is exported in
 * evaluation mode (dropout off, batch norm on its running statistics), as PyTorch does by default.
 *
 * <p>With {@link ExportOptions#dynamicBatch()} the function is traced at three batch sizes: sizes
 * that follow the batch become run-time shape computations and dimension 0 of the inputs (and the
 * outputs' batch dimensions) is named {@code batch}. The file and its external data are written atomically.
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** Exports {@code module.forward} on inputs shaped like {@code example} (one tensor). */
    public static ModelProto save(Module module, Tensor example, Path path, ExportOptions options) {
        boolean training = module.isTraining();
        module.eval();
        try {
            Map<String, Tensor> state = new LinkedHashMap<>(module.namedParameters());
            state.putAll(module.namedBuffers());
            return save(in -> new Tensor[] {module.forward(in[0])}, state, new Tensor[] {example}, path, options);
        } finally {
            module.train(training);
        }
    }

    /** Exports a function of tensors that reads no tensors besides its inputs and {@code state} (name → tensor, written as initializers). */
    public static ModelProto save(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, Tensor[] example, Path path, ExportOptions options) {
        ModelProto m = toModel(fn, state, example, options);
        write(m, path, options);
        return m;
    }

    /** Exports a traced graph (e.g. {@code Tracer.trace}, or a compiled function's graph compiled without fusion). */
    public static ModelProto save(Graph graph, Path path, ExportOptions options) {
        if (options.dynamicBatch()) throw new IllegalArgumentException("onnx export: a dynamic batch needs the function to trace again; export the function or module");
        ModelProto m = toModel(graph, null, Map.of(), options);
        write(m, path, options);
        return m;
    }

    /** The model, not written. */
    public static ModelProto toModel(Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, Tensor[] example, ExportOptions options) {
        if (example.length == 0) throw new IllegalArgumentException("onnx export: give at least one example input");
        if (!options.dynamicBatch()) return toModel(Tracer.trace(fn, specs(example, -1, 0), state), null, Map.of(), options);
        int axis = options.dynamicAxis();
        for (Tensor t : example) {
            if (t.dim() <= axis) {
                throw new IllegalArgumentException("onnx export: a dynamic axis " + axis + " ('" + options.dynamicAxisName() + "') needs every input to have it; input "
                        + t.describe() + " has none");
            }
        }
        Graph[] g = new Graph[BatchSlopes.SIZES.length];
        for (int i = 0; i < g.length; i++) g[i] = Tracer.trace(fn, specs(example, BatchSlopes.SIZES[i], axis), state);
        return toModel(g[0], g[1], BatchSlopes.derive(g), options);
    }

    /** The example inputs' specs, with dimension {@code axis} set to {@code size} (size < 0: as given). */
    private static List<TensorSpec> specs(Tensor[] example, int size, int axis) {
        List<TensorSpec> specs = new ArrayList<>();
        for (Tensor t : example) {
            int[] shape = t.shape();
            if (size >= 0) shape[axis] = size;
            specs.add(new TensorSpec(shape, t.dtype()));
        }
        return specs;
    }

    /** {@code other} is the same graph traced at another batch size (null: static shapes); {@code slopes} from {@link BatchSlopes}. */
    private static ModelProto toModel(Graph graph, Graph other, Map<Node, int[]> slopes, ExportOptions o) {
        if (!graph.randomInputs().isEmpty()) {
            throw new IllegalArgumentException("onnx export: the graph draws random numbers (" + graph.randomInputs().values().iterator().next().name()
                    + ", e.g. dropout in training mode); export the model in eval() mode");
        }
        if (!graph.updates().isEmpty()) {
            throw new IllegalArgumentException("onnx export: the graph writes its buffers (e.g. batch norm's running statistics in training mode); export in eval() mode");
        }
        List<String> inNames = names(o.inputNames(), graph.inputs().size(), "input");
        List<String> outNames = names(o.outputNames(), graph.outputs().size(), "output");
        GraphWriter w = new GraphWriter("sinter", "");
        for (String n : inNames) w.claim(n);
        for (String n : outNames) w.claim(n);
        boolean dynamic = other != null;
        ShapeInputs shapes = new ShapeInputs(w, dynamic ? inNames.get(0) : null, o.dynamicAxis(), BatchSlopes.SIZES[0]);
        OpLowering l = new OpLowering(w, graph, o.opset(), shapes, slopes, null);
        for (int i = 0; i < inNames.size(); i++) {
            Value v = graph.inputs().get(i);
            l.bind(v, inNames.get(i));
            boolean[] dyn = new boolean[v.shape().length];
            if (dynamic) dyn[o.dynamicAxis()] = true;
            w.proto().addInput(GraphWriter.info(inNames.get(i), v.spec(), dimNames(v, null, dyn, o)));
        }
        l.lowerAll();
        for (int i = 0; i < outNames.size(); i++) {
            Value v = graph.outputs().get(i);
            w.nodeInto("Identity", List.of(l.name(v)), List.of(outNames.get(i)));
            boolean[] dyn = dynamic ? BatchSlopes.dynamicDims(v, other.outputs().get(i)) : new boolean[v.shape().length];
            w.proto().addOutput(GraphWriter.info(outNames.get(i), v.spec(), dimNames(v, dynamic ? other.outputs().get(i) : null, dyn, o)));
        }
        UnusedInitializers.drop(w.proto());
        return ModelProto.newBuilder().setIrVersion(o.opset() >= 15 ? 8 : 7).setProducerName("sinter").setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(o.opset())).setGraph(w.proto()).build();
    }

    /**
     * The dim_param of each dynamic dimension of {@code v} (null for fixed ones): the axis's name
     * where the dimension is the dynamic size itself (it took the traced sizes), the name with the
     * position appended where it is computed from it (a flattened batch, a shorter sequence).
     */
    private static String[] dimNames(Value v, Value atOther, boolean[] dyn, ExportOptions o) {
        String[] names = new String[dyn.length];
        for (int i = 0; i < dyn.length; i++) {
            if (!dyn[i]) continue;
            boolean itself = v.shape()[i] == BatchSlopes.SIZES[0] && (atOther == null || atOther.shape()[i] == BatchSlopes.SIZES[1]);
            names[i] = itself ? o.dynamicAxisName() : o.dynamicAxisName() + "_" + i;
        }
        return names;
    }

    private static List<String> names(List<String> given, int count, String base) {
        if (given.isEmpty()) {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < count; i++) r.add(count == 1 ? base : base + "_" + i);
            return r;
        }
        if (given.size() != count) {
            throw new IllegalArgumentException("onnx export: " + given.size() + " " + base + " names given for " + count + " " + base + "s: " + given);
        }
        return given;
    }

    /** Writes the model (and its external data, when the weights pass the threshold), each atomically. */
    static void write(ModelProto model, Path path, ExportOptions o) {
        try {
            ModelProto m = ExternalData.split(model, path, o.externalDataThreshold());
            AtomicFiles.write(path, m.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("onnx export: cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}

package org.sinter.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.onnx.OnnxModel;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/** Export of hand-built graphs: quantize/dequantize pairs and control flow (If, Loop, Scan). */
class ExportGraphsTest {
    /** Exports {@code fn}, checks it, and compares ONNX Runtime and Sinter's import with {@code fn} run eagerly on {@code inputs}. */
    private static ModelProto roundTrip(String name, Function<Tensor[], Tensor[]> fn, Map<String, Tensor> state, Tensor... inputs) throws Exception {
        Path path = ExportChecks.temp(name + ".onnx");
        ModelProto m = OnnxExport.save(fn, state, inputs, path, ExportOptions.defaults());
        if (ExportChecks.checkerAvailable()) ExportChecks.check(path);
        Tensor[] expected;
        try (var _ = Sinter.noGrad()) {
            expected = fn.apply(inputs);
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) feeds.put(inputs.length == 1 ? "input" : "input_" + i, inputs[i]);
        List<Tensor> ort = ExportChecks.runOrt(path, feeds);
        Tensor[] sinter = OnnxModel.load(path).call(inputs);
        for (int i = 0; i < expected.length; i++) {
            ExportChecks.assertClose(expected[i], ort.get(i), 1e-5, name + ": ONNX Runtime output " + i);
            ExportChecks.assertClose(expected[i], sinter[i], 1e-5, name + ": Sinter's import output " + i);
        }
        return m;
    }

    /** The op names of the graph Sinter compiles when it re-imports the model (regions stay regions). */
    private static List<String> reimported(ModelProto m, Tensor... inputs) {
        return OnnxModel.load(m.toByteArray(), "reimport", org.sinter.compiler.CompileOptions.defaults()).graphFor(inputs).nodes().stream()
                .map(n -> n.op().name()).toList();
    }

    private static List<String> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void quantizeDequantizePairsExportAsQdqNodes() throws Exception {
        Sinter.manualSeed(7);
        // A QDQ linear layer: the activation quantized per tensor (uint8), the weight per output channel (int8).
        Tensor wq = Tensor.randint(-127, 128, 4, 6).to(DType.INT32);
        Tensor wScale = Tensor.rand(4).mul(0.02).add(0.01), wZero = Tensor.zeros(DType.INT32, 4);
        Tensor xScale = Tensor.scalar(0.05), xZero = Tensor.scalar(3, DType.INT32);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("w_q", wq);
        state.put("w_scale", wScale);
        state.put("w_zero", wZero);
        state.put("x_scale", xScale);
        state.put("x_zero", xZero);
        Function<Tensor[], Tensor[]> fn = in -> {
            Tensor q = QdqOps.quantizeLinear(in[0], xScale, xZero, 0, true);
            Tensor x = QdqOps.dequantizeLinear(q, xScale, xZero, 0, true);
            Tensor w = QdqOps.dequantizeLinear(wq, wScale, wZero, 0, false);
            return new Tensor[] {x.matmul(w.t()), q};
        };
        Tensor x = Tensor.randn(3, 6);
        ModelProto m = roundTrip("qdq", fn, state, x);
        assertEquals(1, ops(m).stream().filter("QuantizeLinear"::equals).count(), ops(m).toString());
        assertEquals(2, ops(m).stream().filter("DequantizeLinear"::equals).count(), ops(m).toString());
        // The quantized activation is uint8 in the file, as ONNX reads the type from the zero point.
        assertEquals(2, m.getGraph().getInitializerList().stream().filter(t -> t.getName().startsWith("zero_point")).findFirst().orElseThrow().getDataType());
    }

    @Test
    void condExportsAsIf() throws Exception {
        Function<Tensor[], Tensor[]> fn = in -> ControlFlow.cond(in[0].sum().gt(0), a -> new Tensor[] {a[0].mul(2.0).add(a[1])},
                a -> new Tensor[] {a[0].sub(a[1]).relu()}, in[0], in[1]);
        Tensor y = Tensor.randn(3, 4);
        Tensor x = Tensor.rand(3, 4);
        ModelProto m = roundTrip("cond_true", fn, Map.of(), x, y);
        assertTrue(ops(m).contains("If"), ops(m).toString());
        assertTrue(reimported(m, x, y).contains("cond"), "the If comes back as a cond region: " + reimported(m, x, y));
        roundTrip("cond_false", fn, Map.of(), Tensor.rand(3, 4).neg(), y);
    }

    @Test
    void whileLoopExportsAsLoop() throws Exception {
        // Doubles x until its sum passes a bound given at run time: the trip count depends on the data.
        Function<Tensor[], Tensor[]> fn = in -> ControlFlow.whileLoop(s -> s[0].sum().lt(s[1].sum()), s -> new Tensor[] {s[0].mul(2.0), s[1]}, in[0], in[1]);
        Tensor x = Tensor.rand(2, 3).add(0.1), bound = Tensor.full(100.0, 1);
        ModelProto m = roundTrip("loop", fn, Map.of(), x, bound);
        assertTrue(ops(m).contains("Loop"), ops(m).toString());
        assertTrue(reimported(m, x, bound).contains("while_loop"), "the Loop comes back as a whileLoop region: " + reimported(m, x, bound));
        roundTrip("loop_zero_trips", fn, Map.of(), Tensor.rand(2, 3).add(0.1), Tensor.full(-1.0, 1));
    }

    @Test
    void scanExportsAsScanInBothDirections() throws Exception {
        for (boolean reverse : new boolean[] {false, true}) {
            Function<Tensor[], Tensor[]> fn = in -> {
                ControlFlow.ScanResult r = ControlFlow.scan((carry, x) -> {
                    Tensor next = carry[0].mul(0.5).add(x[0].tanh());
                    return new ControlFlow.ScanStep(new Tensor[] {next}, new Tensor[] {next.mul(in[1])});
                }, new Tensor[] {in[0].select(0, 0).mul(0.0)}, new Tensor[] {in[0]}, reverse);
                return new Tensor[] {r.carry()[0], r.ys()[0]};
            };
            Tensor xs = Tensor.randn(5, 3), scale = Tensor.randn(3);
            ModelProto m = roundTrip("scan_" + reverse, fn, Map.of(), xs, scale);
            assertTrue(ops(m).contains("Scan"), ops(m).toString());
            assertTrue(reimported(m, xs, scale).contains("scan"), "the Scan comes back as a scan region: " + reimported(m, xs, scale));
        }
    }

    @Test
    void subGraphInitializersGoToExternalDataAndLoadBack() throws Exception {
        Sinter.manualSeed(9);
        // Constants made inside the branches (2 KiB each) become the branch bodies' own initializers.
        Function<Tensor[], Tensor[]> fn = in -> ControlFlow.cond(in[0].sum().gt(0),
                a -> new Tensor[] {a[0].matmul(Tensor.arange(0, 512).reshape(16, 32).mul(1e-3))},
                a -> new Tensor[] {a[0].matmul(Tensor.arange(0, 512).reshape(16, 32).mul(-2e-3))}, in[0]);
        Path path = ExportChecks.temp("sub_ext.onnx");
        Tensor x = Tensor.rand(3, 16);
        OnnxExport.save(fn, Map.of(), new Tensor[] {x}, path, ExportOptions.defaults().withExternalDataThreshold(0));
        ModelProto written = ModelProto.parseFrom(java.nio.file.Files.readAllBytes(path));
        long external = written.getGraph().getNodeList().stream().flatMap(n -> n.getAttributeList().stream()).filter(a -> a.hasG())
                .flatMap(a -> a.getG().getInitializerList().stream()).filter(t -> t.getExternalDataCount() > 0).count();
        assertTrue(external >= 2, "both branches' constants are in the data file: " + external);
        if (ExportChecks.checkerAvailable()) ExportChecks.check(path);
        for (Tensor in : new Tensor[] {x, x.neg()}) {
            Tensor expected;
            try (var _ = Sinter.noGrad()) {
                expected = fn.apply(new Tensor[] {in})[0];
            }
            ExportChecks.assertClose(expected, ExportChecks.runOrt(path, Map.of("input", in)).get(0), 1e-5, "ONNX Runtime");
            ExportChecks.assertClose(expected, OnnxModel.load(path).call(in)[0], 1e-5, "Sinter's import");
        }
    }
}

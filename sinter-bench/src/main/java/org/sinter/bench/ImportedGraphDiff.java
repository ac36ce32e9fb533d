package org.sinter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Gpt;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.cli.models.ResNet18;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.FusionGroup;
import org.sinter.compiler.codegen.GemmGroup;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.codegen.RowGroup;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.ir.Node;
import org.sinter.kernels.Parallel;
import org.sinter.nn.Module;
import org.sinter.onnx.OnnxModel;

/**
 * What reaches the executor for one model in its two forms: the zoo model compiled (frozen
 * inference) and the same model exported by PyTorch ({@code bench/onnx_export.py}) and imported.
 * Prints, for each form, the optimised graph's operator histogram, the GEMM groups (epilogue, packed
 * weight), the row groups and the fusion groups, and writes both optimised graphs as text into
 * {@code --out} for a line diff. With {@code --rounds N} it then times both forms in the same JVM,
 * alternating (each round: a warm-up, then the median of {@code --iters} calls), and prints the
 * median ratio imported/zoo: what the import costs, measured side by side.
 *
 * <p>Usage: {@code ImportedGraphDiff --model mlp|lenet5|lab1cnn|resnet18_b1|resnet18_b16|gpt_b1|gpt_b16
 * --onnx FILE [--out DIR] [--threads 2] [--rounds 0] [--iters 50]}
 */
public final class ImportedGraphDiff {
    public static void main(String[] args) throws Exception {
        String model = "mlp";
        String onnx = null;
        Path out = null;
        int threads = 2;
        int rounds = 0;
        int iters = 50;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = args[i + 1];
                case "--onnx" -> onnx = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--iters" -> iters = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("ImportedGraphDiff: unknown option " + args[i]);
            }
        }
        if (onnx == null) throw new IllegalArgumentException("ImportedGraphDiff: --onnx FILE is required");
        Sinter.setNumThreads(threads);
        Parallel.setNumThreads(threads);
        Sinter.manualSeed(0);
        Gpt.Config gpt = new Gpt.Config(96, 64, 128, 4, 4, 0, true);
        Module m;
        Tensor x;
        switch (model) {
            case "mlp" -> { m = new Mlp(); x = Tensor.randn(128, 1, 28, 28); }
            case "lenet5" -> { m = new LeNet5(); x = Tensor.randn(64, 1, 28, 28); }
            case "lab1cnn" -> { m = new Lab1Cnn(); x = Tensor.randn(64, 1, 28, 28); }
            case "resnet18_b1" -> { m = new ResNet18(3, 1000); x = Tensor.randn(1, 3, 224, 224); }
            case "resnet18_b16" -> { m = new ResNet18(3, 1000); x = Tensor.randn(16, 3, 224, 224); }
            case "gpt_b1" -> { m = new Gpt(gpt); x = Tensor.randint(0, 96, 1, 64); }
            case "gpt_b16" -> { m = new Gpt(gpt); x = Tensor.randint(0, 96, 16, 64); }
            default -> throw new IllegalArgumentException("ImportedGraphDiff: unknown model " + model);
        }
        m.eval();
        CompiledFunction zooFn = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
        OnnxModel importedFn = OnnxModel.load(Path.of(onnx));
        Graph zoo = zooFn.graphFor(x);
        Graph imported = importedFn.graphFor(x);
        report("zoo " + model, zoo);
        report("imported " + onnx, imported);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve(model + ".zoo.txt"), GraphText.print(zoo));
            Files.writeString(out.resolve(model + ".imported.txt"), GraphText.print(imported));
        }
        if (rounds > 0) time(model, () -> zooFn.call(x), () -> importedFn.call(x), rounds, iters);
    }

    /** Alternating rounds of both forms (the first warms each for 3 s), the medians and the median ratio imported/zoo. */
    private static void time(String model, Runnable zoo, Runnable imported, int rounds, int iters) {
        List<double[]> rows = new ArrayList<>();
        try (var _ = Sinter.noGrad()) {
            for (int r = 0; r < rounds; r++) {
                double z = OrtSideBySide.median(zoo, 5, r == 0 ? 3 : 0, iters);
                double i = OrtSideBySide.median(imported, 5, r == 0 ? 3 : 0, iters);
                rows.add(new double[] {i, z});
                System.out.printf(Locale.ROOT, "%s round %d: imported %.3f ms, zoo %.3f ms, ratio %.2f%n", model, r + 1, i, z, i / z);
            }
        }
        System.out.printf(Locale.ROOT, "%s median: imported %.3f ms, zoo %.3f ms, imported/zoo %.2f%n", model,
                OrtSideBySide.medianOf(rows, 0), OrtSideBySide.medianOf(rows, 1), OrtSideBySide.medianOfRatios(rows));
    }

    private static void report(String title, Graph g) {
        Map<String, Integer> ops = new TreeMap<>();
        for (Node n : g.nodes()) ops.merge(n.op().getClass().getSimpleName(), 1, Integer::sum);
        Program p = Program.compile(g);
        System.out.println("== " + title + ": " + g.nodes().size() + " ops " + ops);
        List<GemmGroup> gemms = p.gemmGroups();
        System.out.println("  GEMM groups " + gemms.size() + " (epilogue " + gemms.stream().filter(gg -> gg.epilogue() != null).count()
                + ", packed constant " + gemms.stream().filter(GemmGroup::constantWeight).count() + ")");
        for (GemmGroup gg : gemms) System.out.println("    " + gg.describe());
        System.out.println("  row groups " + p.rowGroups().size());
        for (RowGroup r : p.rowGroups()) System.out.println("    " + r.describe());
        System.out.println("  fusion groups " + p.fusionGroups().size());
        for (FusionGroup f : p.fusionGroups()) System.out.println("    " + f.describe());
    }
}

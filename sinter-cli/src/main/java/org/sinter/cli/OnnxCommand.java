package org.sinter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.onnx.Npy;
import org.sinter.onnx.OnnxFile;
import org.sinter.onnx.OnnxModel;
import org.sinter.onnx.ValueInfo;
import org.sinter.onnx.ops.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sinter onnx info|run|export|conformance}: inspect an ONNX model, run it on NumPy {@code .npy} inputs, export a zoo model, or run the ONNX backend tests. */
@Command(name = "onnx", description = "Inspect, run or export ONNX models.", subcommands = {OnnxCommand.Info.class, OnnxCommand.Run.class, OnnxExportCommand.class, OnnxCommand.Conformance.class})
final class OnnxCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", description = "Inputs, outputs, opsets, operator histogram, parameter count, and what Sinter does not support.")
    static final class Info implements Runnable {
        @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
        Path model;

        @Override
        public void run() {
            OnnxFile f = OnnxFile.read(model);
            var m = f.proto();
            System.out.println("model      " + model + " (IR version " + m.getIrVersion() + (m.getProducerName().isEmpty() ? "" : ", from " + m.getProducerName() + " " + m.getProducerVersion()) + ")");
            System.out.println("opsets     " + f.opsets().entrySet().stream().map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue()).toList());
            for (ValueInfo v : f.inputs()) System.out.println("input      " + v);
            for (ValueInfo v : f.outputs()) System.out.println("output     " + v);
            System.out.println("nodes      " + f.nodes().size());
            System.out.println("parameters " + f.parameterCount() + " in " + f.graph().getInitializerCount() + " initializers");
            System.out.println("operators");
            f.opHistogram().forEach((op, n) -> System.out.printf("  %-28s %d%n", op, n));
            List<String> missing = f.unsupported(OpRegistry.standard());
            if (missing.isEmpty()) {
                System.out.println("supported  every operator and attribute");
            } else {
                System.out.println("unsupported (" + missing.size() + ")");
                for (String s : missing) System.out.println("  " + s);
            }
        }
    }

    @Command(name = "run", description = "Run a model on .npy inputs; print the outputs, or write them as .npy files.")
    static final class Run implements Runnable {
        @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
        Path model;

        @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "an input by name (repeat for each input)")
        List<String> inputs = new ArrayList<>();

        @Option(names = "--output", paramLabel = "DIR", description = "write each output to DIR/<name>.npy instead of printing it")
        Path output;

        @Override
        public void run() {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            for (String spec : inputs) {
                int eq = spec.indexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) throw new UsageException("--input: expected NAME=FILE.npy, got '" + spec + "'");
                String name = spec.substring(0, eq);
                if (feeds.containsKey(name)) throw new UsageException("--input: '" + name + "' is given twice");
                try {
                    feeds.put(name, Npy.read(Path.of(spec.substring(eq + 1))));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            OnnxModel m = OnnxModel.load(model);
            long start = System.nanoTime();
            Map<String, Tensor> out = m.run(feeds);
            double ms = (System.nanoTime() - start) / 1e6;
            try {
                if (output != null) Files.createDirectories(output);
                for (var e : out.entrySet()) {
                    Tensor t = e.getValue();
                    if (output != null) {
                        Path file = output.resolve(e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy");
                        Npy.write(file, t);
                        System.out.println(e.getKey() + ": " + t.dtype() + java.util.Arrays.toString(t.shape()) + " -> " + file);
                    } else {
                        System.out.println(e.getKey() + ": " + t);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.err.printf("ran in %.1f ms (the first call compiles)%n", ms);
        }
    }

    @Command(name = "conformance", description = "Run the ONNX backend test data (Debian's libonnx-testdata) and write the per-operator pass table.")
    static final class Conformance implements Runnable {
        @Option(names = "--data", paramLabel = "DIR", description = "the test data (default: ${DEFAULT-VALUE})")
        Path data = org.sinter.onnx.conformance.ConformanceReport.DEFAULT_DATA;

        @Option(names = "--table", paramLabel = "FILE.md", description = "where to write the Markdown table (default: ${DEFAULT-VALUE})")
        Path table = Path.of("docs/onnx-conformance.md");

        @Option(names = "--passing", paramLabel = "FILE", description = "also write the ids of the passing tests, one a line")
        Path passing;

        @Override
        public void run() {
            if (!Files.isDirectory(data)) throw new UsageException("--data: " + data + " is not a directory (install Debian's libonnx-testdata)");
            try {
                org.sinter.onnx.conformance.ConformanceReport.main(passing == null ? new String[] {data.toString(), table.toString()}
                        : new String[] {data.toString(), table.toString(), passing.toString()});
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}

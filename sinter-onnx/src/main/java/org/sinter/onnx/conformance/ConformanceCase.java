package org.sinter.onnx.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One test of the ONNX backend test data: {@code <suite>/<name>/model.onnx} with data sets
 * {@code test_data_set_<n>/input_<i>.pb} and {@code output_<i>.pb} (serialized TensorProtos, in the
 * graph's input and output order). Tests that only name a model to download (data.json) are not
 * cases here.
 */
public record ConformanceCase(String suite, String name, Path dir) {
    public Path model() { return dir.resolve("model.onnx"); }

    public String id() { return suite + "/" + name; }

    public List<Path> dataSets() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("test_data_set_") && Files.isDirectory(p)).sorted().toList();
        }
    }

    /** The tests of {@code suite} under {@code root}, by name. */
    public static List<ConformanceCase> list(Path root, String suite) throws IOException {
        Path dir = root.resolve(suite);
        if (!Files.isDirectory(dir)) return List.of();
        List<ConformanceCase> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve("model.onnx"))) out.add(new ConformanceCase(suite, p.getFileName().toString(), p));
            }
        }
        return out;
    }
}

package org.sinter.onnx.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.CompileOptions;

/**
 * Holds Sinter to the ONNX backend tests it passed before: every test listed in
 * {@code onnx-conformance-passing.txt} (written by ConformanceReport) must still pass. Needs
 * Debian's libonnx-testdata, which .ci/run installs; skipped, saying so, where it is absent.
 */
class ConformanceRegressionTest {
    @Test
    void previouslyPassingTestsStillPass() throws Exception {
        Path data = ConformanceReport.DEFAULT_DATA;
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("node")), "libonnx-testdata is not installed (" + data + ")");
        List<String> ids = Files.readAllLines(Path.of("src/test/resources/onnx-conformance-passing.txt")).stream().filter(s -> !s.isBlank()).toList();
        assertTrue(ids.size() > 700, "the list of passing tests looks truncated: " + ids.size());
        ConformanceRunner runner = new ConformanceRunner(CompileOptions.defaults().withFrozenParameters());
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            int slash = id.indexOf('/');
            ConformanceCase c = new ConformanceCase(id.substring(0, slash), id.substring(slash + 1), data.resolve(id));
            if (!Files.isRegularFile(c.model())) {
                failures.add(id + ": missing from " + data);
                continue;
            }
            ConformanceRunner.Result r = runner.run(c);
            if (r.status() != ConformanceRunner.Status.PASS) failures.add(id + ": " + r.status() + " " + r.message());
        }
        assertTrue(failures.isEmpty(), failures.size() + " previously passing ONNX tests fail:\n" + String.join("\n", failures));
    }
}

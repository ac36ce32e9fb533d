package org.sinter.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared trace directory, when this checkout has one: {@code -Dsinter.data=DIR}, else
 * {@code ../shared/data} beside the repository (tests run in the module's directory). A fresh clone
 * has neither, and the tests that want it fall back to generated traces.
 */
final class TestData {
    private TestData() {}

    static Optional<Path> traces() {
        String property = System.getProperty("sinter.data");
        Path data = property != null ? Path.of(property) : Path.of("..", "..", "shared", "data");
        Path traces = data.resolve("traces");
        return Files.isDirectory(traces) ? Optional.of(traces) : Optional.empty();
    }
}

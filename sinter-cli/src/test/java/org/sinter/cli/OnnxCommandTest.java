package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.onnx.Npy;

/** {@code sinter onnx info|run} on the PyTorch-exported MLP that sinter-onnx's tests use. */
class OnnxCommandTest {
    private static final Path MLP = Path.of("../sinter-onnx/src/test/resources/pytorch/mlp");

    @Test
    void infoListsInputsOperatorsAndParameters() {
        var r = Cli.run("onnx", "info", MLP.resolve("model.onnx").toString());
        assertEquals(0, r.exit(), r.toString());
        for (String part : new String[] {"input      input: float[batch, 20]", "output     output: float[batch, 5]", "Gemm", "3", "parameters 3589",
                "supported  every operator"}) {
            assertTrue(r.out().contains(part), part + " in\n" + r.out());
        }
    }

    @Test
    void runWritesNpyOutputsEqualToPytorchs(@TempDir Path dir) throws Exception {
        var r = Cli.run("onnx", "run", MLP.resolve("model.onnx").toString(), "--input", "input=" + MLP.resolve("input.npy"), "--output", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        Tensor y = Npy.read(dir.resolve("output.npy"));
        assertTrue(y.allclose(Npy.read(MLP.resolve("output.npy")), 1e-4, 1e-5));
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path dir) throws Exception {
        var wrongName = Cli.run("onnx", "run", MLP.resolve("model.onnx").toString(), "--input", "x=" + MLP.resolve("input.npy"));
        assertEquals(1, wrongName.exit(), wrongName.toString());
        assertTrue(wrongName.err().contains("no input named 'x'"), wrongName.err());
        var malformed = Cli.run("onnx", "run", MLP.resolve("model.onnx").toString(), "--input", "input");
        assertEquals(2, malformed.exit(), malformed.toString());
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        var corrupt = Cli.run("onnx", "info", junk.toString());
        assertEquals(1, corrupt.exit(), corrupt.toString());
        assertTrue(corrupt.err().startsWith("sinter: info: " + junk) || corrupt.err().contains(junk.toString()), corrupt.err());
        assertFalse(corrupt.hasStackTrace(), corrupt.toString());
    }
}

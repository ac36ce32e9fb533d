package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.compiler.memory.AllocationLog;

/** {@code sinter compile}: every stage printed, the compiled numbers equal eager, the allocation log readable. */
class CompileCommandTest {
    @Test
    void compilesAZooModelAndWritesItsAllocationLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("mlp.alloc");
        var r = Cli.run("compile", "--model", "mlp", "--batch", "4", "--alloc-log", log.toString());
        assertEquals(0, r.exit(), r.toString());
        for (String part : new String[] {"== traced graph", "== passes", "== optimised graph", "== fusion: 0 groups", "== GEMM epilogues: 3 of the graph's matrix products", "3 with a pre-packed constant operand", "== memory", "== compile time",
                "== check: compiled vs the graph run eagerly"}) {
            assertTrue(r.out().contains(part), part + " in\n" + r.out());
        }
        // Frozen weights change which kernels run (packed GEMMs), so compiled and eager agree to rounding.
        var diff = java.util.regex.Pattern.compile("vs the module itself ([0-9.e+-]+)").matcher(r.out());
        assertTrue(diff.find() && Double.parseDouble(diff.group(1)) < 1e-4, r.out());
        assertTrue(AllocationLog.read(log).allocationCount() > 0);
        Path trainLog = dir.resolve("lab1-train.alloc");
        var t = Cli.run("compile", "--model", "lab1cnn", "--batch", "8", "--train", "--no-graphs", "--alloc-log", trainLog.toString());
        assertEquals(0, t.exit(), t.toString());
        assertTrue(t.out().contains("training step") && t.out().contains("== memory"), t.out());
        assertTrue(AllocationLog.read(trainLog).allocationCount() > AllocationLog.read(log).allocationCount(), "backward allocates too");
        var bad = Cli.run("compile", "--model", "resnet1000");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().startsWith("sinter: compile: --model: unknown model 'resnet1000'"), bad.err());
    }

    @Test
    void theSubstitutionSearchIsAPassInTheTable() throws Exception {
        // Inference freezes LeNet-5's weights, so each ReLU runs in its convolution's epilogue and
        // moving it after the pool would cost a kernel: the search keeps the graph, and says so.
        var r = Cli.run("compile", "--model", "lenet5", "--batch", "4", "--no-graphs", "--substitutions");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("| substitution search |") && r.out().contains("| constant folding (frozen parameters) |"), r.out());
        var check = java.util.regex.Pattern.compile("max \\|diff\\| (\\S+); vs the module itself (\\S+)").matcher(r.out());
        assertTrue(check.find() && Double.parseDouble(check.group(1)) < 1e-5 && Double.parseDouble(check.group(2)) < 1e-5, r.out());
        // A training step's convolutions read their filters at run time: there ReLU moves after the pool.
        var t = Cli.run("compile", "--model", "lenet5", "--batch", "4", "--no-graphs", "--train", "--substitutions");
        assertEquals(0, t.exit(), t.toString());
        assertTrue(t.out().contains("| substitution search |"), t.out());
    }
}

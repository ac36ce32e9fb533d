package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.nn.io.SafeTensors;

@Timeout(300) // a hang guard, not a speed check
class PrivacyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void flSimulateWithSecureAggregationAndDropoutsWritesTheModel() throws Exception {
        Path out = dir.resolve("fl/model.safetensors");
        var r = Cli.run("fl", "simulate", "--task", "blobs", "--clients", "6", "--per-round", "4", "--rounds", "3", "--local-epochs", "1",
                "--lr", "0.1", "--secure-agg", "--dropout", "0.2", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("round 3: "), r.out());
        assertTrue(r.out().contains("final test accuracy"), r.out());
        assertEquals(4, SafeTensors.load(out).size()); // two Linear layers: weight and bias each
    }

    @Test
    void flOptionsAreChecked() {
        var r = Cli.run("fl", "simulate", "--task", "blobs", "--clients", "5", "--per-round", "8");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--per-round 8 exceeds --clients 5"), r.err());
        r = Cli.run("fl", "simulate", "--task", "blobs", "--alpha", "0.5", "--split", "iid");
        assertEquals(2, r.exit(), r.toString());
        r = Cli.run("fl", "simulate", "--task", "cifar", "--clients", "4", "--per-round", "2");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("cifar"), r.err());
        assertFalse(r.hasStackTrace(), r.toString());
    }

    @Test
    void attackReportsCleanAndRobustAccuracy() {
        Path run = dir.resolve("mlp");
        var t = Cli.trainMlp(run, "--max-steps", "30");
        assertEquals(0, t.exit(), t.toString());
        String file = run.resolve("model.safetensors").toString();
        var r = Cli.run("attack", "--model", "mlp", "--checkpoint", file, "--method", "fgsm", "--eps", "0.3", "--limit", "200");
        assertEquals(0, r.exit(), r.toString());
        double[] acc = accuracies(r.out());
        assertTrue(acc[0] > 0.5, r.out());
        assertTrue(acc[1] < acc[0], "FGSM at 0.3 did not hurt an undefended MLP: " + r.out());
        var p = Cli.run("attack", "--checkpoint", file, "--method", "pgd", "--eps", "0.3", "--steps", "10", "--step-size", "0.05", "--limit", "200");
        assertEquals(0, p.exit(), p.toString());
        assertTrue(accuracies(p.out())[1] <= acc[1] + 0.02, "PGD weaker than FGSM: " + p.out() + " vs " + r.out());
        // Carlini-Wagner: at L2 budget 0 nothing correct is fooled; at 3 (about a fifth of MNIST's pixel range in L2) most are.
        var cw0 = Cli.run("attack", "--checkpoint", file, "--method", "cw", "--eps", "0", "--search-steps", "3", "--steps", "30",
                "--step-size", "0.05", "--initial-const", "1", "--limit", "20");
        assertEquals(0, cw0.exit(), cw0.toString());
        double[] a0 = accuracies(cw0.out());
        assertEquals(a0[0], a0[1], 1e-12, cw0.out());
        assertTrue(cw0.out().contains("CW-L2 on the ") && cw0.out().contains("median L2"), cw0.out());
        var cw3 = Cli.run("attack", "--checkpoint", file, "--method", "cw", "--eps", "3", "--search-steps", "3", "--steps", "30",
                "--step-size", "0.05", "--initial-const", "1", "--limit", "20");
        assertEquals(0, cw3.exit(), cw3.toString());
        assertTrue(accuracies(cw3.out())[1] < a0[0], "CW within L2 3 fooled nothing: " + cw3.out());
        var badCw = Cli.run("attack", "--checkpoint", file, "--method", "cw", "--search-steps", "0");
        assertEquals(2, badCw.exit(), badCw.toString());
        assertTrue(badCw.err().contains("binarySearchSteps"), badCw.err());
        var wrong = Cli.run("attack", "--model", "lenet5", "--checkpoint", file);
        assertEquals(2, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("holds mlp"), wrong.err());
    }

    private static double[] accuracies(String out) {
        var m = Pattern.compile("clean accuracy ([0-9.]+)%, robust accuracy under .* ([0-9.]+)% \\(").matcher(out);
        assertTrue(m.find(), out);
        return new double[] {Double.parseDouble(m.group(1)) / 100, Double.parseDouble(m.group(2)) / 100};
    }

    @Test
    void trainRobustRunsAShortRecipeAndWritesTheKeptModel() throws Exception {
        Path out = dir.resolve("robust.safetensors");
        var r = Cli.run("attack", "train-robust", "--epochs", "2", "--max-steps", "4", "--eval-images", "20", "--restarts", "1",
                "--val-steps", "5", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("epoch 2: adversarial train loss"), r.out());
        assertTrue(r.out().contains("early stopping on PGD-5 (1 start(s))") && r.out().contains(", PGD-5 "), r.out());
        assertTrue(Pattern.compile("robust accuracy under PGD-40 \\(L∞ ε = 0\\.30, α = 0\\.01, 1 restarts\\) on the first 20 test images")
                .matcher(r.out()).find(), r.out());
        assertEquals(8, SafeTensors.load(out).size()); // two Conv2d and two Linear layers: weight and bias each
        assertTrue(SafeTensors.readMetadata(out).containsKey("robust_accuracy_pgd40"));
        var bad = Cli.run("attack", "train-robust", "--attack-steps", "0");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("attack steps"), bad.err());
        var badVal = Cli.run("attack", "train-robust", "--val-restarts", "0");
        assertEquals(2, badVal.exit(), badVal.toString());
        assertTrue(badVal.err().contains("--val-steps and --val-restarts must be >= 1"), badVal.err());
        var none = Cli.run("attack", "--method", "fgsm");
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("--checkpoint is required"), none.err());
    }

    @Test
    void flHelpListsItsCommands() throws Exception {
        var r = Cli.run("fl", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("simulate") && r.out().contains("server") && r.out().contains("client"), r.out());
        assertTrue(Files.exists(Path.of("pom.xml")));
    }
}

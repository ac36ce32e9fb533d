package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.SafeTensors;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.accountant.RdpConversion;

/** {@code sinter train --dp}: DP-SGD through the ordinary training command (issue 19, tools). */
@Timeout(600) // a hang guard, not a speed check
class DpTrainTest {
    private static final int MNIST_TRAIN = 60_000;

    @TempDir
    Path dir;

    private static Cli.Result train(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "samplecnn", "--threads", "2", "--out", out.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void targetEpsilonIsSolvedForAndSpentEpochByEpoch() throws Exception {
        Path out = dir.resolve("dp");
        var r = train(out, "--dp", "--target-epsilon", "3", "--delta", "1e-5", "--epochs", "2", "--max-steps", "12",
                "--batch-size", "64", "--checkpoint-every", "5");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("DP-SGD: Poisson sampling q = 0.00106667 (expected batch 64)"), r.out());
        assertTrue(r.out().contains("solved for ε ≤ 3.0 after 24 steps"), r.out());
        double[] eps = epsilons(r.out());
        assertEquals(2, eps.length, r.out());
        assertTrue(eps[0] > 0 && eps[0] < eps[1], r.out());

        Map<String, String> meta = SafeTensors.readMetadata(out.resolve("model.safetensors"));
        double sigma = Double.parseDouble(meta.get("dp_noise_multiplier")), q = Double.parseDouble(meta.get("dp_sample_rate"));
        assertEquals(64.0 / MNIST_TRAIN, q, 1e-15);
        // The ε the run reports is the accountant's for σ, q and the 24 steps taken, and lands just below the target.
        double expected = RdpAccountant.epsilon(sigma, q, 24, 1e-5, RdpConversion.IMPROVED).epsilon();
        assertEquals(expected, Double.parseDouble(meta.get("dp_epsilon")), 1e-12);
        assertEquals(expected, eps[1], 5e-4);
        assertTrue(expected <= 3.0 && expected > 2.98, "ε " + expected);
        assertEquals(RdpAccountant.epsilon(sigma, q, 12, 1e-5, RdpConversion.IMPROVED).epsilon(), eps[0], 5e-4);

        // Checkpoints carry what a resumed run needs: σ, C, δ, q and the noise generator's state.
        Checkpoint c = Checkpoint.load(out.resolve("checkpoint/last.safetensors"));
        for (String k : List.of("dp_noise_multiplier", "dp_max_grad_norm", "dp_delta", "dp_sample_rate", "dp_noise_state", "dp_epsilon")) {
            assertTrue(c.extra().containsKey(k), k + " missing from " + c.extra());
        }
        assertEquals("1.0", c.extra().get("dp_max_grad_norm"));
        assertTrue(r.out().contains("final test accuracy"), r.out());
    }

    @Test
    void batchNormModelsAreRefusedNamingTheLayers() {
        Path out = dir.resolve("resnet");
        var r = Cli.run("train", "--model", "resnet18", "--dp", "--noise-multiplier", "1.0", "--out", out.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("BatchNorm") && r.err().contains("bn1 (BatchNorm2d)") && r.err().contains("mixes the samples"), r.err());
        assertFalse(r.hasStackTrace(), r.toString());
        assertFalse(Files.exists(out.resolve("model.safetensors")) || Files.exists(out.resolve("steps.csv")), "a refused run wrote files");
    }

    @Test
    void contradictoryOrIncompleteOptionsAreRefusedInOneLine() {
        String out = dir.resolve("x").toString();
        String[][] cases = {
                {"--dp"}, // neither σ nor a target
                {"--dp", "--noise-multiplier", "1", "--target-epsilon", "3"},
                {"--noise-multiplier", "1"}, // DP options without --dp
                {"--dp", "--noise-multiplier", "-1"},
                {"--dp", "--noise-multiplier", "1", "--max-grad-norm", "0"},
                {"--dp", "--noise-multiplier", "1", "--delta", "1"},
                {"--dp", "--noise-multiplier", "1", "--compile"},
                {"--dp", "--noise-multiplier", "1", "--model", "charlm"},
                {"--dp", "--noise-multiplier", "1", "--batch-size", "70000", "--max-steps", "1"},
        };
        String[] expected = {"exactly one of --noise-multiplier", "got both", "add --dp", "--noise-multiplier must be", "--max-grad-norm",
                "--delta must be", "drop --compile", "text model", "exceeds the 60000 training examples"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--out", out));
            if (!List.of(cases[i]).contains("--model")) args.addAll(List.of("--model", "samplecnn"));
            args.addAll(List.of(cases[i]));
            var r = Cli.run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), String.join(" ", cases[i]) + ": " + r);
            assertTrue(r.err().contains(expected[i]), String.join(" ", cases[i]) + ": " + r.err());
            assertFalse(r.hasStackTrace(), r.toString());
        }
    }

    @Test
    void aResumedPrivateRunEqualsAnUninterruptedOne() throws Exception {
        String[] dp = {"--dp", "--noise-multiplier", "1.1", "--max-grad-norm", "0.5", "--max-steps", "4", "--batch-size", "32"};
        Path whole = dir.resolve("whole"), split = dir.resolve("split");
        var a = train(whole, concat(dp, "--epochs", "2"));
        assertEquals(0, a.exit(), a.toString());
        var b1 = train(split, concat(dp, "--epochs", "1"));
        assertEquals(0, b1.exit(), b1.toString());

        var noDp = Cli.run("train", "--model", "samplecnn", "--out", split.toString(), "--epochs", "2", "--resume");
        assertEquals(2, noDp.exit(), noDp.toString());
        assertTrue(noDp.err().contains("trained with DP-SGD"), noDp.err());
        var otherSigma = train(split, "--dp", "--noise-multiplier", "2", "--max-grad-norm", "0.5", "--epochs", "2", "--resume");
        assertEquals(2, otherSigma.exit(), otherSigma.toString());
        assertTrue(otherSigma.err().contains("--noise-multiplier 2.0 differs from the run's 1.1"), otherSigma.err());

        var b2 = train(split, "--dp", "--noise-multiplier", "1.1", "--max-grad-norm", "0.5", "--epochs", "2", "--max-steps", "4", "--resume");
        assertEquals(0, b2.exit(), b2.toString());
        assertEquals(epsilons(a.out())[1], epsilons(b2.out())[0], 1e-12, b2.out());
        var wholeModel = SafeTensors.load(whole.resolve("model.safetensors"));
        var splitModel = SafeTensors.load(split.resolve("model.safetensors"));
        assertEquals(wholeModel.keySet(), splitModel.keySet());
        for (String k : wholeModel.keySet()) {
            Tensor x = wholeModel.get(k), y = splitModel.get(k);
            assertArrayEquals(x.toFloatArray(), y.toFloatArray(), k + ": the resumed run's parameters differ");
        }
        assertEquals(SafeTensors.readMetadata(whole.resolve("model.safetensors")).get("dp_epsilon"),
                SafeTensors.readMetadata(split.resolve("model.safetensors")).get("dp_epsilon"));

        // A run trained without --dp cannot be continued privately: its earlier steps were not private.
        Path plain = dir.resolve("plain");
        var p = Cli.run("train", "--model", "samplecnn", "--threads", "2", "--out", plain.toString(), "--epochs", "1", "--max-steps", "2");
        assertEquals(0, p.exit(), p.toString());
        var pr = train(plain, "--dp", "--noise-multiplier", "1", "--epochs", "2", "--resume");
        assertEquals(2, pr.exit(), pr.toString());
        assertTrue(pr.err().contains("was trained without --dp"), pr.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The ε of each "epoch N: ε = …" line, in order. */
    private static double[] epsilons(String out) {
        Matcher m = Pattern.compile("epoch \\d+: ε = ([0-9.]+) at δ = ").matcher(out);
        List<Double> l = new java.util.ArrayList<>();
        while (m.find()) l.add(Double.parseDouble(m.group(1)));
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

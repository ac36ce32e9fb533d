package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter train --distributed} under {@code sinter launch}: two JVM ranks follow one process with the global batch. */
class DistributedTrainTest {
    @TempDir
    Path dir;

    static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    static double[] losses(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("steps.csv"));
        String[] header = lines.getFirst().split(",");
        int col = java.util.Arrays.asList(header).indexOf("loss");
        assertTrue(col >= 0, "steps.csv header " + lines.getFirst());
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[col])).toArray();
    }

    static Cli.Result distributed(Path out, String... more) {
        List<String> cmd = new ArrayList<>(List.of("launch", "--nproc", "2"));
        cmd.addAll(java());
        cmd.addAll(List.of("train", "--distributed", "--model", "mlp", "--max-steps", "8", "--batch-size", "32",
                "--optimizer", "sgd", "--lr", "0.05", "--threads", "1", "--checkpoint-every", "0", "--out", out.toString()));
        cmd.addAll(List.of(more));
        return Cli.run(cmd.toArray(new String[0]));
    }

    /** Two epochs: the first in one job, the second in a job resumed from rank 0's checkpoint, loaded by every rank. */
    @Test
    void twoRanksTrainAndResumeLikeOneProcessWithTheGlobalBatch() throws Exception {
        Path single = dir.resolve("single"), dist = dir.resolve("dist");
        Cli.Result one = Cli.run("train", "--model", "mlp", "--epochs", "2", "--max-steps", "8", "--batch-size", "64",
                "--optimizer", "sgd", "--lr", "0.05", "--threads", "1", "--checkpoint-every", "0", "--out", single.toString());
        assertEquals(0, one.exit(), one.toString());
        Cli.Result first = distributed(dist, "--epochs", "1");
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("data parallel over 2 ranks") && first.out().contains("global batch 64"), first.toString());
        assertFalse(first.out().contains("[1]:epoch 1:"), "only rank 0 reports: " + first);
        Cli.Result second = distributed(dist, "--epochs", "2", "--resume");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.out().contains("resumed from"), second.toString());
        double[] a = losses(single), b = losses(dist);
        assertEquals(16, a.length);
        assertEquals(a.length, b.length, "steps logged");
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * Math.abs(a[i]), "step " + (i + 1));
        // The same first epoch with fp16 gradients: close to, and not exactly, the float32 run.
        Cli.Result half = distributed(dir.resolve("fp16"), "--epochs", "1", "--comm-hook", "fp16");
        assertEquals(0, half.exit(), half.toString());
        double[] c = losses(dir.resolve("fp16"));
        for (int i = 0; i < c.length; i++) assertEquals(a[i], c[i], 2e-2 * Math.abs(a[i]), "fp16 step " + (i + 1));
        assertTrue(Files.exists(dist.resolve("model.safetensors")) && Files.exists(dist.resolve("checkpoint/last.safetensors")));
        // Compiled: each rank's step is one graph, its gradients averaged before the optimizer, the same losses.
        Cli.Result compiled = distributed(dir.resolve("compiled"), "--epochs", "1", "--compile");
        assertEquals(0, compiled.exit(), compiled.toString());
        assertTrue(compiled.out().contains("averaged over the ranks"), compiled.toString());
        double[] d = losses(dir.resolve("compiled"));
        assertEquals(8, d.length);
        for (int i = 0; i < d.length; i++) assertEquals(a[i], d[i], 1e-4 * Math.abs(a[i]), "compiled step " + (i + 1));
    }

    @Test
    void outsideALauncherItIsAUsageError() {
        Cli.Result r = Cli.run("train", "--distributed", "--model", "mlp", "--out", dir.resolve("x").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--distributed") && r.err().contains("launcher"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
        Cli.Result h = Cli.run("train", "--comm-hook", "fp16", "--model", "mlp", "--out", dir.resolve("z").toString());
        assertEquals(2, h.exit(), h.toString());
        assertTrue(h.err().contains("--comm-hook needs --distributed"), h.toString());
    }
}

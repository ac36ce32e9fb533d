package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.distributed.examples.DdpEquivalence;
import org.sinter.distributed.launch.Launcher;

/** {@code sinter launch}: a real job of JVMs, a failing rank stopping the rest, restarts. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void threeJvmRanksTrainLikeOneProcess() throws Exception {
        Path out = dir.resolve("losses.txt");
        List<String> cmd = new ArrayList<>(LauncherEquivalenceTest.javaCommand());
        cmd.addAll(List.of("10", "24", out.toString()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code = new Launcher(3, 0, cmd, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertEquals(0, code, log.toString(StandardCharsets.UTF_8));
        double[] single = DdpEquivalence.train(null, 10, 24);
        List<String> lines = Files.readAllLines(out);
        for (int s = 0; s < 10; s++) {
            double d = Double.parseDouble(lines.get(s));
            assertEquals(single[s], d, 1e-5 * Math.abs(single[s]), "step " + s);
        }
    }

    @Test
    void aParameterServerJobOfFourJvmsTrainsLikeOneProcess() throws Exception {
        Path out = dir.resolve("ps-losses.txt");
        List<String> cmd = new ArrayList<>(LauncherEquivalenceTest.javaCommand());
        cmd.set(cmd.size() - 1, org.sinter.distributed.examples.ParameterServerJob.class.getName());
        cmd.addAll(List.of("2", "sync", "8", "32", out.toString()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code = new Launcher(4, 0, cmd, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertEquals(0, code, log.toString(StandardCharsets.UTF_8));
        double[] single = org.sinter.distributed.examples.ParameterServerJob.single(8, 32);
        List<String> lines = Files.readAllLines(out);
        for (int s = 0; s < 8; s++) {
            assertEquals(single[s], Double.parseDouble(lines.get(s)), 1e-5 * Math.abs(single[s]), "step " + s);
        }
        assertTrue(single[7] < single[0], "the job should learn: " + single[0] + " -> " + single[7]);
    }

    @Test
    void aFailingRankStopsTheJobWithItsCode() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = new Launcher(3, 0, List.of("sh", "-c", "echo hello from $RANK of $WORLD_SIZE; if [ $RANK = 1 ]; then sleep 2; exit 3; fi; sleep 60"),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(3, code, text);
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "the sleeping ranks were not stopped");
        assertTrue(text.contains("[2]:hello from 2 of 3"), text);
        assertTrue(text.contains("rank 1 exited with code 3"), text);
    }

    @Test
    void restartsTheGroupWithTheRestartCount() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code = new Launcher(2, 2, List.of("sh", "-c", "echo attempt $TORCHELASTIC_RESTART_COUNT; test $TORCHELASTIC_RESTART_COUNT -ge 1"),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("[0]:attempt 1") && text.contains("restarting the job (1 of 2"), text);
        assertFalse(text.contains("attempt 2"), text);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Launcher(0, 0, List.of("x"), System.out));
        assertTrue(e.getMessage().contains("--nproc"), e.getMessage());
    }
}

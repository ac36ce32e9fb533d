package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.distributed.examples.AllReduceLoop;
import org.sinter.distributed.store.TcpStoreServer;

/**
 * A rank killed with SIGKILL mid-job (separate JVMs, as under torchrun): every other rank exits
 * with an error naming it within 30 s, over TCP and over shared memory.
 */
class FaultDetectionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "shm"})
    void everyRankNamesTheKilledOne(String transport) throws Exception {
        int world = 3, victim = 1;
        try (TcpStoreServer store = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0)) {
            List<Process> procs = new ArrayList<>();
            CountDownLatch running = new CountDownLatch(world);
            for (int r = 0; r < world; r++) {
                List<String> cmd = new ArrayList<>(LauncherEquivalenceTest.javaCommand());
                cmd.set(cmd.size() - 1, AllReduceLoop.class.getName());
                cmd.add("100000000");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err" + r).toFile());
                pb.environment().putAll(java.util.Map.of("RANK", "" + r, "WORLD_SIZE", "" + world, "MASTER_ADDR", "127.0.0.1",
                        "MASTER_PORT", "" + store.port(), "TORCHELASTIC_USE_AGENT_STORE", "True", "SINTER_TRANSPORT", transport,
                        "SINTER_DIST_TIMEOUT_S", "120"));
                Process p = pb.start();
                procs.add(p);
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        boolean counted = false;
                        for (String line; (line = in.readLine()) != null; ) {
                            if (!counted && line.contains("step 50")) {
                                running.countDown();
                                counted = true;
                            }
                        }
                    } catch (Exception ignored) {
                        // the process ended
                    }
                });
            }
            try {
                assertTrue(running.await(120, TimeUnit.SECONDS), "the job did not start");
                procs.get(victim).destroyForcibly(); // SIGKILL
                long t0 = System.nanoTime();
                for (int r = 0; r < world; r++) {
                    if (r == victim) continue;
                    assertTrue(procs.get(r).waitFor(30, TimeUnit.SECONDS), "rank " + r + " still running 30 s after rank 1 was killed");
                    String err = Files.readString(dir.resolve("err" + r));
                    assertNotEquals(0, procs.get(r).exitValue());
                    assertTrue(err.contains("rank " + victim + " closed its connection"), "rank " + r + ":\n" + err);
                }
                assertTrue((System.nanoTime() - t0) / 1e9 < 30);
            } finally {
                for (Process p : procs) p.destroyForcibly();
            }
        }
    }
}

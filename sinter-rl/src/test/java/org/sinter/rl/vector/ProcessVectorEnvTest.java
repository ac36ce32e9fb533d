package org.sinter.rl.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.Env;
import org.sinter.rl.envs.Envs;

class ProcessVectorEnvTest {
    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    @Timeout(180) // a hang guard: JVMs start, on a loaded machine
    void seededTrajectoriesAreSyncVectorEnvsAndCloseEndsTheChildren() {
        List<Long> pids;
        SyncVectorEnv<double[], Integer> sync = new SyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), 3);
        try (ProcessVectorEnv<Integer> process = ProcessVectorEnv.discrete("CartPole-v1", 3)) {
            pids = process.pids();
            assertEquals(3, pids.stream().distinct().count());
            for (long pid : pids) assertTrue(alive(pid) && pid != ProcessHandle.current().pid());
            assertEquals("CartPole-v1", process.env(0).id());
            Random r = new Random(3);
            int ended = VectorChecks.assertSameTrajectories(sync, process, 11, 300, () -> r.nextInt(2));
            assertTrue(ended > 10, "auto-reset is exercised: " + ended + " episodes ended");
            var e = assertThrows(UnsupportedOperationException.class, process::snapshot);
            assertTrue(e.getMessage().contains("ProcessVectorEnv(CartPole-v1)") && e.getMessage().contains("cannot be resumed"), e.getMessage());
        }
        for (long pid : pids) assertFalse(alive(pid), "child " + pid + " outlived close()");
        // Continuous actions, and Pendulum's 200-step time limit truncates in the children as in process.
        SyncVectorEnv<double[], double[]> pendulums = new SyncVectorEnv<>(() -> Envs.makeContinuous("Pendulum-v1"), 2);
        try (ProcessVectorEnv<double[]> process = ProcessVectorEnv.continuous("Pendulum-v1", 2)) {
            Random r = new Random(5);
            assertEquals(2, VectorChecks.assertSameTrajectories(pendulums, process, 3, 210, () -> new double[] {4 * r.nextDouble() - 2}));
        }
    }

    @Test
    void anUnregisteredEnvironmentIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProcessVectorEnv.discrete("MyCartPole", 2));
        assertTrue(e.getMessage().contains("MyCartPole is not one of"), e.getMessage());
        Supplier<Env<double[], Integer>> custom = () -> org.sinter.rl.TestCartPole.named("MyCartPole");
        assertThrows(IllegalArgumentException.class, () -> VectorMode.PROCESS.create(custom, 2));
        var m = assertThrows(IllegalArgumentException.class, () -> VectorMode.parse("threads"));
        assertEquals("unknown vector env 'threads'; known: sync, async, process", m.getMessage());
    }

    /** A parent JVM for the test below: starts two environment processes, prints their pids, then waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws InterruptedException {
            ProcessVectorEnv<Integer> envs = ProcessVectorEnv.discrete("CartPole-v1", 2);
            System.out.println("pids " + envs.pids().get(0) + " " + envs.pids().get(1));
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    @Timeout(180)
    void theChildrenEndWhenTheirParentIsKilled() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Parent.class.getName()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("pids "));
            assertTrue(line != null, "the parent printed no pids");
            long[] pids = Arrays.stream(line.substring(5).split(" ")).mapToLong(Long::parseLong).toArray();
            for (long pid : pids) assertTrue(alive(pid));
            parent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs, the parent's pipes just close
            for (long pid : pids) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (alive(pid) && System.nanoTime() < deadline) Thread.sleep(100);
                assertFalse(alive(pid), "child " + pid + " outlived its killed parent");
            }
        } finally {
            parent.destroyForcibly();
        }
    }
}

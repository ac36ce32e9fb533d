package org.sinter.rl.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sinter.rl.StepResult;

/** Drives {@code examples/rl/remote_env_server.py} (the protocol's Python side) with {@link RemoteEnv}. */
class PythonRemoteEnvTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("../examples/rl/remote_env_server.py");

    @Test
    void thePythonExampleServesLineWalkToRemoteEnv() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        assertTrue(Files.exists(SCRIPT), SCRIPT.toAbsolutePath() + " missing");
        Process python = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String first = stdout.readLine();
            assertTrue(first != null && first.startsWith("listening "), "python printed: " + first);
            int port = Integer.parseInt(first.substring("listening ".length()).strip());
            try (RemoteEnv<Integer> env = RemoteEnv.discrete(port, Duration.ofSeconds(20))) {
                assertEquals("LineWalk-v0", env.id());
                assertEquals(Double.NEGATIVE_INFINITY, ((org.sinter.rl.spaces.Box) env.observationSpace()).low()[0], "python's -inf reads as -Infinity");
                double start = env.reset(42).observation()[0];
                assertEquals(start, env.reset(42).observation()[0], "a seeded reset repeats");
                StepResult<double[]> r = null;
                int steps = 0;
                do {
                    r = env.step(1);
                    steps++;
                } while (!r.done());
                assertTrue(r.terminated() && !r.truncated());
                assertEquals(5 - start, steps, 0.0, "walking right reaches +5 in 5 - start steps");
                assertArrayEquals(new double[] {5, steps}, r.observation(), 0.0);
                assertEquals(9.0, r.reward());
                var e = assertThrows(IllegalStateException.class, () -> env.step(1));
                assertTrue(e.getMessage().contains("step before reset"), e.getMessage());
            }
        } finally {
            python.destroy();
            python.waitFor();
        }
    }
}

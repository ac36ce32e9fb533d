package org.sinter.rl.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.rl.Env;
import org.sinter.rl.StepResult;
import org.sinter.rl.envs.Envs;

class RemoteEnvTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void cartPoleOverTheSocketEqualsTheLocalOneStepByStep() throws Exception {
        try (EnvServer server = new EnvServer(() -> Envs.makeDiscrete("CartPole-v1"), 0, TIMEOUT);
                RemoteEnv<Integer> remote = RemoteEnv.discrete(server.port(), TIMEOUT)) {
            Env<double[], Integer> local = Envs.makeDiscrete("CartPole-v1");
            assertEquals("CartPole-v1", remote.id());
            assertEquals(local.actionSpace().toString(), remote.actionSpace().toString());
            assertEquals(local.observationSpace(), remote.observationSpace());
            Random actions = new Random(3);
            int episodes = 0;
            assertArrayEquals(local.reset(5).observation(), remote.reset(5).observation(), 0.0);
            for (int t = 0; t < 300; t++) {
                int a = actions.nextInt(2);
                StepResult<double[]> l = local.step(a), r = remote.step(a);
                assertArrayEquals(l.observation(), r.observation(), 0.0, "step " + t);
                assertEquals(l.reward(), r.reward());
                assertEquals(l.terminated(), r.terminated());
                assertEquals(l.truncated(), r.truncated());
                if (l.done()) {
                    episodes++;
                    assertArrayEquals(local.reset().observation(), remote.reset().observation(), 0.0, "unseeded reset continues the stream");
                }
            }
            assertTrue(episodes > 5);
        }
    }

    @Test
    void aContinuousEnvironmentCrossesExactlyToo() throws Exception {
        try (EnvServer server = new EnvServer(() -> Envs.makeContinuous("Pendulum-v1"), 0, TIMEOUT);
                RemoteEnv<double[]> remote = RemoteEnv.continuous(server.port(), TIMEOUT)) {
            Env<double[], double[]> local = Envs.makeContinuous("Pendulum-v1");
            assertArrayEquals(local.reset(1).observation(), remote.reset(1).observation(), 0.0);
            Random actions = new Random(4);
            for (int t = 0; t < 50; t++) {
                double[] a = {actions.nextDouble() * 4 - 2};
                StepResult<double[]> l = local.step(a), r = remote.step(a);
                assertArrayEquals(l.observation(), r.observation(), 0.0, "step " + t);
                assertEquals(l.reward(), r.reward(), "step " + t);
            }
            assertThrows(IllegalStateException.class, () -> RemoteEnv.discrete(server.port(), TIMEOUT), "a box-action server refuses a discrete client");
        }
    }

    @Test
    void aBoxActionOutsideTheSpaceIsTheEnvironmentsToJudge() throws Exception {
        // MountainCarContinuous clips the force but charges the action as given, as Gymnasium does: the remote copy must do the same.
        try (EnvServer server = new EnvServer(() -> Envs.makeContinuous("MountainCarContinuous-v0"), 0, TIMEOUT);
                RemoteEnv<double[]> remote = RemoteEnv.continuous(server.port(), TIMEOUT)) {
            Env<double[], double[]> local = Envs.makeContinuous("MountainCarContinuous-v0");
            assertArrayEquals(local.reset(2).observation(), remote.reset(2).observation(), 0.0);
            for (double force : new double[] {3.0, -2.5, 0.5}) {
                StepResult<double[]> l = local.step(new double[] {force}), r = remote.step(new double[] {force});
                assertArrayEquals(l.observation(), r.observation(), 0.0);
                assertEquals(l.reward(), r.reward());
            }
            assertEquals(-0.9, remote.step(new double[] {3.0}).reward(), 1e-12, "the reward charges the unclipped action: -0.1 * 3^2");
            var wrongSize = assertThrows(IllegalArgumentException.class, () -> remote.step(new double[] {1, 2}));
            assertTrue(wrongSize.getMessage().contains("outside"), wrongSize.getMessage());
            var nan = assertThrows(IllegalStateException.class, () -> remote.step(new double[] {Double.NaN}));
            assertTrue(nan.getMessage().contains("refused") && nan.getMessage().contains("not in the action space"), nan.getMessage());
        }
    }

    @Test
    void badRequestsGetErrorsNamingThemAndTheConnectionSurvives() throws Exception {
        try (EnvServer server = new EnvServer(() -> Envs.makeDiscrete("CartPole-v1"), 0, TIMEOUT);
                RemoteEnv<Integer> remote = RemoteEnv.discrete(server.port(), TIMEOUT)) {
            var beforeReset = assertThrows(IllegalStateException.class, () -> remote.step(0));
            assertTrue(beforeReset.getMessage().contains("refused 'step 0'"), beforeReset.getMessage());
            remote.reset(0);
            var outside = assertThrows(IllegalArgumentException.class, () -> remote.step(7));
            assertTrue(outside.getMessage().contains("outside"), outside.getMessage());
            assertEquals(4, remote.step(1).observation().length, "still usable");
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                raw.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(raw.getOutputStream(), StandardCharsets.UTF_8);
                for (int i = 0; i < 4; i++) in.readLine(); // greeting, env, spaces
                out.write("jump\nreset 1\nstep 0 1\nstep x\nreset y\n");
                out.flush();
                assertTrue(in.readLine().contains("unknown message 'jump'"));
                assertTrue(in.readLine().startsWith("obs "));
                assertTrue(in.readLine().contains("one integer, got 2 values"));
                assertTrue(in.readLine().contains("action 'x' is not an integer"));
                assertTrue(in.readLine().contains("seed 'y' is not an integer"));
            }
        }
    }

    @Test
    void aSilentOrClosedServerIsAClearErrorNotAHang() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var e = assertThrows(IllegalStateException.class, () -> RemoteEnv.discrete(silent.getLocalPort(), Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("no greeting within 200 ms"), e.getMessage());
        }
        EnvServer server = new EnvServer(() -> Envs.makeDiscrete("CartPole-v1"), 0, Duration.ofMillis(300));
        try (server; RemoteEnv<Integer> remote = RemoteEnv.discrete(server.port(), TIMEOUT)) {
            remote.reset(0);
            Thread.sleep(800); // the server drops a client idle past its timeout
            var e = assertThrows(RuntimeException.class, () -> remote.step(0));
            assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("failed"), e.getMessage());
        }
    }
}

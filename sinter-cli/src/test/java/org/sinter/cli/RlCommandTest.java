package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter rl train|eval} end to end, on short seeded runs. */
@Timeout(400) // a hang guard, not a speed check
class RlCommandTest {
    @TempDir
    Path dir;

    @Test
    void ppoTrainsToTheStopRewardWritesLogsCurveAndPolicyAndEvalRunsIt() throws Exception {
        Path out = dir.resolve("ppo");
        var r = Cli.run("rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "15360", "--seed", "3", "--stop-reward", "100",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("steps 512/15,360  episodes "), r.out()); // the progress line, after the first update
        Matcher reached = Pattern.compile("reached 100\\.0 at step ([0-9,]+); stopped after ([0-9,]+) steps").matcher(r.out());
        assertTrue(reached.find(), r.out());
        long stepsRun = Long.parseLong(reached.group(2).replace(",", ""));
        assertTrue(stepsRun < 15360, "stopped early: " + r.out());

        List<String> steps = Files.readAllLines(out.resolve("steps.csv"));
        assertEquals("step,episodes,mean_return,steps_per_second,seconds", steps.get(0));
        assertEquals(stepsRun / 512 + 1, steps.size(), "one row per update");
        String[] last = steps.getLast().split(",");
        assertEquals(stepsRun, Long.parseLong(last[0]));
        assertTrue(Double.parseDouble(last[2]) >= 100, steps.getLast());

        List<String> episodes = Files.readAllLines(out.resolve("episodes.csv"));
        assertEquals("episode,step,return", episodes.get(0));
        double sum = 0;
        for (String line : episodes.subList(episodes.size() - 20, episodes.size())) sum += Double.parseDouble(line.split(",")[2]);
        assertEquals(Double.parseDouble(last[2]), sum / 20, 1e-3, "the mean of the last 20 episodes is what steps.csv reports");
        var png = ImageIO.read(out.resolve("curve.png").toFile());
        assertEquals(900, png.getWidth());

        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "5", "--seed", "0");
        assertEquals(0, e.exit(), e.toString());
        Matcher m = Pattern.compile("ppo on CartPole-v1 \\[64\\], trained ([0-9,]+) steps: mean return ([0-9.]+) over 5 episodes").matcher(e.out());
        assertTrue(m.find(), e.out());
        assertEquals(stepsRun, Long.parseLong(m.group(1).replace(",", "")));
        // A random CartPole policy lasts ~22 steps; the greedy trained one far longer.
        assertTrue(Double.parseDouble(m.group(2)) > 80, e.out());
        assertEquals(e.out(), Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "5").out(),
                "a seeded evaluation repeats");

        var again = Cli.run("rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "1024", "--out", out.toString());
        assertEquals(2, again.exit(), again.toString());
        assertTrue(again.err().contains("already holds a run (policy.safetensors, state.safetensors, steps.csv, episodes.csv, curve.png); replace it with --overwrite"), again.err());
    }

    @Test
    void aSeededContinuousRunRepeatsExactlyAndEvaluates() throws Exception {
        String[] args = {"rl", "train", "--algo", "ddpg", "--env", "Pendulum-v1", "--steps", "1100", "--seed", "2", "--out", ""};
        args[args.length - 1] = dir.resolve("a").toString();
        var a = Cli.run(args);
        assertEquals(0, a.exit(), a.toString());
        args[args.length - 1] = dir.resolve("b").toString();
        var b = Cli.run(args);
        assertEquals(0, b.exit(), b.toString());
        for (String f : List.of("policy.safetensors", "episodes.csv")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertEquals(6, Files.readAllLines(dir.resolve("a/episodes.csv")).size(), "5 episodes of 200 steps in 1,100 steps");
        var e = Cli.run("rl", "eval", "--checkpoint", dir.resolve("a/policy.safetensors").toString(), "--episodes", "2");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("ddpg on Pendulum-v1 [64, 64], trained 1,100 steps: mean return -"), e.out());
    }

    @Test
    void a2cRunsWithItsOwnNumberOfEnvironments() {
        Path out = dir.resolve("a2c");
        var r = Cli.run("rl", "train", "--algo", "a2c", "--env", "Acrobot-v1", "--steps", "2000", "--num-envs", "4", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("training a2c on Acrobot-v1 [64], seed 1, up to 2,000 steps"), r.out());
        assertTrue(r.out().contains("done after 2,000 steps"), r.out()); // 100 updates of 4 envs × 5 steps
        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "1");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("a2c on Acrobot-v1 [64], trained 2,000 steps: mean return -"), e.out());
    }

    @Test
    void dqnVariantsTrainAndTheirCheckpointRebuildsTheDuelingNetwork() {
        Path out = dir.resolve("dqn");
        var r = Cli.run("rl", "train", "--algo", "dqn", "--dqn-variants", "dueling,nstep,per", "--env", "CartPole-v1", "--steps", "1500", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("training dqn[dueling,nstep3,per] on CartPole-v1 [120, 84], seed 1"), r.out());
        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "2");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("dqn[dueling,nstep3,per] on CartPole-v1 [120, 84], trained 1,500 steps: mean return "), e.out());
    }

    @Test
    void apexTrainsWithActorThreadsAndItsCheckpointRebuildsTheDuelingNetwork() {
        Path out = dir.resolve("apex");
        var r = Cli.run("rl", "train", "--algo", "apex", "--workers", "2", "--env", "CartPole-v1", "--steps", "6000", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("training apex on CartPole-v1 [120, 84], seed 1, up to 6,000 steps"), r.out());
        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "1");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("apex on CartPole-v1 [120, 84], trained "), e.out());
    }

    @Test
    void continuousPpoTrainsOnPendulumAndEvaluatesWithItsNormalization() {
        Path out = dir.resolve("ppo-pendulum");
        var r = Cli.run("rl", "train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", "2048", "--seed", "4", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("training ppo on Pendulum-v1 [64], seed 4, up to 2,048 steps"), r.out());
        assertTrue(r.out().contains("done after 2,048 steps, 8 episodes"), r.out()); // one update of 4 copies × 512 steps
        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "2");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("ppo on Pendulum-v1 [64], trained 2,048 steps: mean return -"), e.out());
    }

    @Test
    @org.junit.jupiter.api.Timeout(400) // a hang guard for a loaded machine, not a speed test
    void aPpoRunKilledWithSigkillAndResumedEndsAsTheUninterruptedRun() throws Exception {
        killResumeAndCompare("ppo", "10240");
    }

    @Test
    @org.junit.jupiter.api.Timeout(400) // a hang guard for a loaded machine, not a speed test
    void anA2cRunKilledWithSigkillAndResumedEndsAsTheUninterruptedRun() throws Exception {
        killResumeAndCompare("a2c", "8000");
    }

    /**
     * Runs {@code algo} whole, then in a separate JVM killed with SIGKILL once its first state is on
     * disk, resumed in process: the same policy, episodes and steps.csv rows.
     */
    private void killResumeAndCompare(String algo, String steps) throws Exception {
        String[] common = {"rl", "train", "--algo", algo, "--env", "CartPole-v1", "--steps", steps, "--seed", "2", "--checkpoint-every", "512"};
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        var w = Cli.run(concat(common, "--out", whole.toString()));
        assertEquals(0, w.exit(), w.toString());

        // A separate JVM, killed (SIGKILL) as soon as its first training state is on disk.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.sinter.cli.Main"));
        command.addAll(List.of(concat(common, "--out", killed.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path state = killed.resolve("state.safetensors");
        while (p.isAlive() && !Files.exists(state)) Thread.sleep(20);
        p.destroyForcibly().waitFor();
        assertTrue(Files.exists(state), "the killed run saved no state: " + Files.readString(dir.resolve("killed.log")));

        var r = Cli.run(concat(common, "--out", killed.toString(), "--resume"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("resuming from " + state + " at step "), r.out());
        for (String f : List.of("policy.safetensors", "episodes.csv")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
        // steps.csv has one row per update in both, with the same steps, episodes and means (the timing columns differ).
        assertEquals(columns(whole.resolve("steps.csv")), columns(killed.resolve("steps.csv")));
    }

    @Test
    void ppoStepsItsCopiesInProcessesOrThreadsWithTheSyncRunsResults() throws Exception {
        for (String vector : List.of("sync", "async", "process")) {
            var r = Cli.run("rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--num-envs", "2", "--vector", vector, "--steps", "512", "--seed", "6",
                    "--out", dir.resolve(vector).toString());
            assertEquals(0, r.exit(), r.toString());
        }
        for (String vector : List.of("async", "process")) {
            for (String f : List.of("policy.safetensors", "episodes.csv")) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("sync").resolve(f)), Files.readAllBytes(dir.resolve(vector).resolve(f)), vector + " " + f);
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("async/state.safetensors")), "threads keep the copies' state here, so the run can resume");
        assertTrue(!Files.exists(dir.resolve("process/state.safetensors")), "the copies' state is in the children: no resumable state");
    }

    @Test
    void resumeIsRefusedClearlyWhereItCannotWork() {
        assertUsage("--resume: with --vector process the environment copies keep their state in the child processes, where it cannot be saved; use --vector sync or async",
                "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--vector", "process", "--out", dir.resolve("none").toString(), "--resume");
        assertUsage("--resume: no saved training state in " + dir.resolve("none") + " (state.safetensors, written with each checkpoint of a run of ppo, a2c, impala, dqn, apex, ddpg, td3 and sac)",
                "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--out", dir.resolve("none").toString(), "--resume");
        assertUsage("--resume: with --replay-process the replay's rows live in the replay process, where they cannot be saved; resume without it",
                "rl", "train", "--algo", "apex", "--replay-process", "--env", "CartPole-v1", "--out", dir.resolve("none").toString(), "--resume");
        assertUsage("--resume continues the run in --out and --overwrite replaces it; give one of them",
                "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--out", dir.resolve("none").toString(), "--resume", "--overwrite");
        Path run = dir.resolve("seed3");
        assertEquals(0, Cli.run("rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "512", "--seed", "3", "--out", run.toString()).exit());
        var r = Cli.run("rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "512", "--seed", "4", "--out", run.toString(), "--resume");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("saved by a different run: rl.seed is 3, this run has 4"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The step, episodes and mean-return columns of a steps.csv. */
    private static List<String> columns(Path stepsCsv) throws java.io.IOException {
        return Files.readAllLines(stepsCsv).stream().map(l -> String.join(",", java.util.Arrays.asList(l.split(",", -1)).subList(0, 3))).toList();
    }

    @Test
    void impalaTrainsWithActorProcesses() {
        Path out = dir.resolve("impala-processes");
        var r = Cli.run("rl", "train", "--algo", "impala", "--workers", "2", "--processes", "--env", "CartPole-v1", "--steps", "2000", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("done after 2,000 steps"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("policy.safetensors")));
    }

    @Test
    void apexTrainsWithActorsAndReplayInProcessesOfTheirOwn() {
        Path out = dir.resolve("apex-processes");
        var r = Cli.run("rl", "train", "--algo", "apex", "--workers", "2", "--processes", "--replay-process", "--env", "CartPole-v1", "--steps", "2500",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        // Whole 50-step chunks from two actors in processes: the budget may be passed by the chunks in flight.
        assertTrue(java.util.regex.Pattern.compile("done after 2,[5-9]\\d\\d steps").matcher(r.out()).find(), r.out());
        assertTrue(Files.isRegularFile(out.resolve("policy.safetensors")));
    }

    @Test
    void impalaAndApexRunsResumeFromTheirState() {
        for (String algo : List.of("impala", "apex")) {
            Path out = dir.resolve(algo + "-resume");
            String[] args = {"rl", "train", "--algo", algo, "--workers", "2", "--env", "CartPole-v1", "--steps", "1600", "--checkpoint-every", "400", "--out",
                    out.toString()};
            var first = Cli.run(args);
            assertEquals(0, first.exit(), first.toString());
            assertTrue(Files.isRegularFile(out.resolve("state.safetensors")), algo);
            var r = Cli.run(concat(args, "--resume"));
            assertEquals(0, r.exit(), r.toString());
            // Actor threads may pass the budget by the chunks in flight, so the saved step is at least 1,600.
            assertTrue(r.out().contains("resuming from " + out.resolve("state.safetensors") + " at step "), r.out());
            assertTrue(r.out().contains("done after "), r.out());
        }
    }

    @Test
    void impalaTrainsWithActorThreads() {
        Path out = dir.resolve("impala");
        var r = Cli.run("rl", "train", "--algo", "impala", "--workers", "2", "--env", "CartPole-v1", "--steps", "2000", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("done after 2,000 steps"), r.out()); // 25 updates of 4 trajectories × 20 steps
        var e = Cli.run("rl", "eval", "--checkpoint", out.resolve("policy.safetensors").toString(), "--episodes", "1");
        assertEquals(0, e.exit(), e.toString());
        assertTrue(e.out().startsWith("impala on CartPole-v1 [64], trained 2,000 steps: mean return "), e.out());
    }

    @Test
    void badCommandLinesGetOneClearLine() throws Exception {
        assertUsage("dqn needs a discrete action space, but Pendulum-v1 has continuous (Box) actions; use ppo, ddpg, td3, sac for Pendulum-v1",
                "rl", "train", "--algo", "dqn", "--env", "Pendulum-v1");
        assertUsage("sac needs a continuous (Box) action space, but CartPole-v1 has discrete actions; use ppo, a2c, impala, dqn, apex for CartPole-v1",
                "rl", "train", "--algo", "sac", "--env", "CartPole-v1");
        assertUsage("unknown algorithm 'r2d2'", "rl", "train", "--algo", "r2d2", "--env", "CartPole-v1");
        assertUsage("unknown environment 'Breakout-v5'", "rl", "train", "--algo", "ppo", "--env", "Breakout-v5");
        assertUsage("--num-envs", "rl", "train", "--algo", "dqn", "--env", "CartPole-v1", "--num-envs", "4");
        assertUsage("less than one update", "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "100");
        assertUsage("unknown DQN variant 'noisy'", "rl", "train", "--algo", "dqn", "--env", "CartPole-v1", "--dqn-variants", "dueling,noisy");
        assertUsage("DQN variants (per) apply to dqn only, not sac", "rl", "train", "--algo", "sac", "--env", "Pendulum-v1", "--dqn-variants", "per");
        assertUsage("ppo runs in the calling thread; only impala and apex have actor threads (--workers)", "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--workers", "4");
        assertUsage("dqn runs in the calling thread; only impala and apex run their workers in processes (--processes)", "rl", "train", "--algo", "dqn", "--env", "CartPole-v1", "--processes");
        assertUsage("dqn steps one environment per learner or actor; only ppo and a2c step several copies (--vector)", "rl", "train", "--algo", "dqn", "--env", "CartPole-v1", "--vector", "async");
        assertUsage("--vector: unknown vector env 'threads'; known: sync, async, process", "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--vector", "threads");
        assertUsage("impala has no replay server; only apex runs its replay in a process of its own (--replay-process)", "rl", "train", "--algo", "impala", "--env", "CartPole-v1", "--replay-process");
        assertUsage("--steps must be positive", "rl", "train", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "0");
        assertUsage("--episodes must be positive", "rl", "eval", "--checkpoint", "x", "--episodes", "0");
        Path missing = dir.resolve("none.safetensors");
        assertUsage("--checkpoint " + missing + ": no such file", "rl", "eval", "--checkpoint", missing.toString());
        Path notPolicy = dir.resolve("w.safetensors");
        org.sinter.nn.io.SafeTensors.save(java.util.Map.of("w", org.sinter.Tensor.zeros(2)), notPolicy);
        assertUsage(notPolicy + ": not an RL policy checkpoint", "rl", "eval", "--checkpoint", notPolicy.toString());
    }

    private static void assertUsage(String expected, String... args) {
        var r = Cli.run(args);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.hasStackTrace(), r.toString());
    }
}

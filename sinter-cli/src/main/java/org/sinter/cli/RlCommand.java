package org.sinter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.cli.rl.RunLogs;
import org.sinter.nn.io.DirectoryLock;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.agents.Agent;
import org.sinter.rl.agents.Agents;
import org.sinter.rl.agents.GreedyEvaluation;
import org.sinter.rl.agents.PolicyCheckpoint;
import org.sinter.rl.dqn.DqnVariants;
import org.sinter.rl.vector.VectorMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter rl}: reinforcement learning on the classic-control environments. {@code train}
 * runs one algorithm with a progress line, CSV logs, a learning-curve PNG and a policy checkpoint;
 * {@code eval} runs a saved policy greedily.
 */
@Command(name = "rl", mixinStandardHelpOptions = true, description = "Reinforcement learning: train an agent on a classic-control environment, evaluate a saved policy.",
        subcommands = {RlCommand.Train.class, RlCommand.Eval.class})
final class RlCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The file {@code train} writes the policy to, in its output directory. */
    static final String POLICY = "policy.safetensors";
    /** The full training state of a resumable algorithm (ppo), written with each checkpoint. */
    static final String STATE = "state.safetensors";

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train an agent; writes policy.safetensors, steps.csv, episodes.csv and curve.png to --out.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--algo", required = true, description = "ppo, a2c, impala, dqn or apex (discrete actions); ppo, ddpg, td3 or sac (continuous actions)")
        String algo;
        @Option(names = "--env", required = true, description = "CartPole-v1, Acrobot-v1, MountainCar-v0 (discrete); Pendulum-v1, MountainCarContinuous-v0 (continuous)")
        String env;
        @Option(names = "--steps", description = "environment steps at most (default: the budget of the algorithm's bar: ppo 100000 (200000 with continuous actions), a2c 500000, impala 200000, dqn 200000, apex 200000, sac/td3 20000, ddpg 50000)")
        Long steps;
        @Option(names = "--seed", defaultValue = "1", description = "seed of the networks, environments and sampling; a seeded run repeats exactly (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--stop-reward", description = "stop once the mean return of the last --window episodes reaches this (default: run all --steps)")
        Double stopReward;
        @Option(names = "--window", description = "episodes the mean return is taken over (default: 20 for discrete actions, 10 for continuous)")
        Integer window;
        @Option(names = "--num-envs", description = "ppo and a2c: environment copies stepped together (default: ppo 4, a2c 8)")
        Integer numEnvs;
        @Option(names = "--vector", description = "ppo and a2c: how the --num-envs copies are stepped: sync (one after another in the learner's thread), async (a thread each) or process (each in its own JVM, over a loopback socket); seeded runs are the same either way (default: sync)")
        String vector;
        @Option(names = "--workers", description = "impala and apex: actor threads, each with its own environment copy and policy snapshot (default 2)")
        Integer workers;
        @Option(names = "--processes", description = "impala and apex: run each worker in its own JVM, talking to the learner over a loopback socket (default: threads)")
        boolean processes;
        @Option(names = "--replay-process", description = "apex: run the sharded prioritized replay in its own JVM; actors add and the learner samples over a loopback socket (default: in the learner's process)")
        boolean replayProcess;
        @Option(names = "--dqn-variants", description = "dqn: Rainbow components, comma-separated: dueling, nstep (3-step returns) or nstepN, per (prioritized replay) (default: none, plain double DQN)")
        String dqnVariants;
        @Option(names = "--checkpoint-every", defaultValue = "10000", description = "environment steps between checkpoints of the policy (default: ${DEFAULT-VALUE})")
        long checkpointEvery;
        @Option(names = "--out", description = "output directory (default: runs/rl-<algo>-<env>-seed<seed>)")
        Path out;
        @Option(names = "--overwrite", description = "replace an earlier run in --out")
        boolean overwrite;
        @Option(names = "--resume", description = "continue the run in --out from its last state.safetensors (same --algo, --env, --seed, --steps, --num-envs, --workers), appending to its logs; bit for bit except impala and apex, whose learner (and replay) resume exactly while their actors start new episodes")
        boolean resume;

        @Override
        public Integer call() throws IOException {
            if (steps != null && steps <= 0) throw new UsageException("--steps must be positive, got " + steps);
            if (window != null && window <= 0) throw new UsageException("--window must be positive, got " + window);
            if (numEnvs != null && numEnvs <= 0) throw new UsageException("--num-envs must be positive, got " + numEnvs);
            if (workers != null && workers <= 0) throw new UsageException("--workers must be positive, got " + workers);
            if (checkpointEvery <= 0) throw new UsageException("--checkpoint-every must be positive, got " + checkpointEvery);
            if (stopReward != null && !Double.isFinite(stopReward)) throw new UsageException("--stop-reward must be a finite number, got " + stopReward);
            Agent agent;
            try {
                agent = Agents.create(algo, env, seed, new Agents.Options(steps == null ? 0 : steps, numEnvs == null ? 0 : numEnvs,
                        dqnVariants == null ? DqnVariants.NONE : DqnVariants.parse(dqnVariants), workers == null ? 0 : workers, processes, replayProcess,
                        vector == null ? VectorMode.SYNC : VectorMode.parse(vector)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage().replace("numEnvs", "--num-envs").replace("(workers)", "(--workers)").replace("(processes)", "(--processes)").replace("(replayProcess)", "(--replay-process)").replace("(vector)", "(--vector)").replace("unknown vector env", "--vector: unknown vector env").replace("steps " + steps, "--steps " + steps));
            }
            String name = agent.spec().algorithm();
            Path dir = out != null ? out : Path.of("runs", "rl-" + name + "-" + env + "-seed" + seed);
            if (resume && overwrite) throw new UsageException("--resume continues the run in --out and --overwrite replaces it; give one of them");
            if (resume && "process".equals(vector)) {
                throw new UsageException("--resume: with --vector process the environment copies keep their state in the child processes, where it cannot be saved; use --vector sync or async");
            }
            if (resume && replayProcess) {
                throw new UsageException("--resume: with --replay-process the replay's rows live in the replay process, where they cannot be saved; resume without it");
            }
            if (resume && !agent.resumable()) throw new UsageException("--resume: " + name + " cannot save its training state yet; resuming works for " + Agents.RESUMABLE);
            try (DirectoryLock _ = lock(dir)) {
                long resumedAt = 0;
                if (resume) {
                    Path state = dir.resolve(STATE);
                    if (!Files.isRegularFile(state)) {
                        throw new UsageException("--resume: no saved training state in " + dir + " (" + STATE + ", written with each checkpoint of a run of " + Agents.RESUMABLE + ")");
                    }
                    try {
                        resumedAt = agent.resume(state);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--resume: " + e.getMessage());
                    }
                } else {
                    List<String> earlier = earlierRun(dir);
                    if (!earlier.isEmpty() && !overwrite) {
                        throw new UsageException("--out " + dir + " already holds a run (" + String.join(", ", earlier) + "); replace it with --overwrite, continue it with --resume (" + Agents.RESUMABLE + ") or choose another --out");
                    }
                    for (String f : earlier) Files.deleteIfExists(dir.resolve(f));
                }
                return train(agent, dir, resumedAt);
            }
        }

        private int train(Agent agent, Path dir, long resumedAt) throws IOException {
            int w = window != null ? window : Agents.defaultWindow(env);
            double stop = stopReward != null ? stopReward : Double.POSITIVE_INFINITY;
            long budget = steps != null ? steps : Agents.defaultSteps(agent.spec().algorithm(), env);
            RunLogs logs = resumedAt > 0 ? RunLogs.resume(dir, resumedAt) : new RunLogs(dir);
            Path policy = dir.resolve(POLICY), state = dir.resolve(STATE);
            long start = System.nanoTime();
            long[] lastCheckpoint = {resumedAt};
            if (resumedAt > 0) System.out.printf(Locale.ROOT, "resuming from %s at step %,d%n", state, resumedAt);
            System.out.printf(Locale.ROOT, "training %s, seed %d, up to %,d steps%s%n", agent.spec(), seed, budget,
                    stopReward != null ? String.format(Locale.ROOT, ", stopping at a mean return of %s over %d episodes", stopReward, w) : "");
            TrainingResult result = agent.train(stop, w, p -> {
                try {
                    logs.progress(p, (System.nanoTime() - start) / 1e9);
                    if (p.steps() - lastCheckpoint[0] >= checkpointEvery) {
                        PolicyCheckpoint.save(policy, agent.spec(), agent.policy(), p.steps());
                        if (agent.resumable()) agent.saveState(state);
                        lastCheckpoint[0] = p.steps();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.out.printf(Locale.ROOT, "steps %,d/%,d  episodes %,d  mean return %s  steps/s %,.0f%n", p.steps(), budget, p.episodes(),
                        Double.isNaN(p.meanReturn()) ? "-" : String.format(Locale.ROOT, "%.1f", p.meanReturn()), p.stepsPerSecond());
            });
            PolicyCheckpoint.save(policy, agent.spec(), agent.policy(), result.steps());
            if (agent.resumable()) agent.saveState(state);
            List<String> wrote = logs.finish(result, w, agent.spec().algorithm().toUpperCase(Locale.ROOT) + " on " + env + ", seed " + seed);
            System.out.printf(Locale.ROOT, "%s after %,d steps, %,d episodes, mean return %.1f over the last %d, %.1f s (%,.0f steps/s)%n",
                    result.stepsToThreshold() >= 0 ? String.format(Locale.ROOT, "reached %s at step %,d; stopped", stopReward, result.stepsToThreshold())
                            : stopReward != null ? "did not reach " + stopReward : "done",
                    result.steps(), result.episodes(), result.meanReturn(), Math.min(w, result.episodes()), result.seconds(), result.stepsPerSecond());
            System.out.println("wrote " + dir.resolve(POLICY) + ", " + String.join(", ", wrote));
            return 0;
        }

        private static DirectoryLock lock(Path dir) throws IOException {
            try {
                return DirectoryLock.acquire(dir);
            } catch (DirectoryLock.HeldException e) {
                throw new IOException("--out " + dir + " is in use by another sinter process" + (e.pid().isEmpty() ? "" : " (pid " + e.pid() + ")"), e);
            }
        }

        private static List<String> earlierRun(Path dir) {
            return java.util.stream.Stream.of(POLICY, STATE, RunLogs.STEPS, RunLogs.EPISODES, RunLogs.CURVE).filter(f -> Files.exists(dir.resolve(f))).toList();
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Run a saved policy greedily (no exploration) and print its mean return.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "a policy.safetensors written by 'sinter rl train'")
        Path checkpoint;
        @Option(names = "--episodes", defaultValue = "10", description = "episodes to run (default: ${DEFAULT-VALUE})")
        int episodes;
        @Option(names = "--seed", defaultValue = "0", description = "seed of the first reset; later episodes continue its stream (default: ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (episodes <= 0) throw new UsageException("--episodes must be positive, got " + episodes);
            if (!Files.isRegularFile(checkpoint)) throw new UsageException("--checkpoint " + checkpoint + ": no such file");
            PolicyCheckpoint.Loaded loaded;
            try {
                loaded = PolicyCheckpoint.load(checkpoint);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            double[] returns = GreedyEvaluation.returns(loaded.spec(), loaded.policy(), episodes, seed);
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double r : returns) {
                sum += r;
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            System.out.printf(Locale.ROOT, "%s, trained %,d steps: mean return %.2f over %d episodes (min %.2f, max %.2f)%n",
                    loaded.spec(), loaded.steps(), sum / episodes, episodes, min, max);
            return 0;
        }
    }
}

package org.sinter.rl.apex;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains Ape-X DQN on CartPole-v1 until the greedy evaluations (10 episodes every 5,000 steps) of
 * the last 20 episodes average 475, for each actor count and seed given, and prints a progress line
 * per 10,000 steps and one {@code RESULT} line per run with the counters: steps and wall time to the
 * threshold, env steps/s, learner updates/s, staleness, per-actor ε and behaviour returns.
 * With {@code --warmup N} an untimed N-step run with the largest actor count comes first, so the
 * JIT has compiled the hot paths before the measured runs; {@code --rotate} starts each seed's
 * actor counts one place further along the list (1,2,4 / 2,4,1 / 4,1,2 …), so no count is always
 * the first of a seed. Usage: {@code TrainApexCartPole [--actors 1,2,4] [--inline] [--steps N]
 * [--warmup N] [--rotate] [--processes] [--replay-process] [seed…]}; {@code --processes} runs each actor in its own JVM,
 * {@code --replay-process} the replay in its own JVM ({@link ReplayServerMain}).
 */
public final class TrainApexCartPole {
    private TrainApexCartPole() {}

    public static void main(String[] args) {
        int[] actorCounts = {2};
        boolean inline = false, rotate = false;
        long warmup = 0;
        org.sinter.rl.remote.Placement placement = org.sinter.rl.remote.Placement.THREADS, replayPlacement = org.sinter.rl.remote.Placement.THREADS;
        long steps = ApexConfig.cartPole(1).totalTimesteps();
        java.util.List<Long> seeds = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--actors" -> actorCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--inline" -> inline = true;
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Long.parseLong(args[++i]);
                case "--rotate" -> rotate = true;
                case "--processes" -> placement = org.sinter.rl.remote.Placement.PROCESSES;
                case "--replay-process" -> replayPlacement = org.sinter.rl.remote.Placement.PROCESSES;
                default -> seeds.add(Long.parseLong(args[i]));
            }
        }
        if (seeds.isEmpty()) seeds.add(1L);
        if (warmup > 0) {
            try (Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"),
                    ApexConfig.cartPole(Arrays.stream(actorCounts).max().orElseThrow()).withTotalTimesteps(warmup), 0, replayPlacement)) {
                System.out.println("WARMUP " + (inline ? apex.trainInline(475, 20, Integer.MAX_VALUE, null) : apex.train(placement, 475, 20, Integer.MAX_VALUE, null)).summary("APEX", 0, 475));
            }
        }
        for (int s = 0; s < seeds.size(); s++) {
            long seed = seeds.get(s);
            for (int actors : rotate ? org.sinter.rl.RunOrder.rotated(actorCounts, s) : actorCounts) {
                Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), ApexConfig.cartPole(actors).withTotalTimesteps(steps), seed, replayPlacement);
                java.util.function.Consumer<Apex.Progress> print = p -> System.out.printf(Locale.ROOT,
                        "actors %d seed %d  steps %d  updates %d  greedy mean %.1f  steps/s %.0f  updates/s %.1f  staleness %.1f%n", actors, seed,
                        p.steps(), p.counters().updates(), p.meanReturn(), p.stepsPerSecond(), p.counters().updatesPerSecond(), p.counters().meanStaleness());
                TrainingResult r;
                try (apex) {
                    r = inline ? apex.trainInline(475, 20, 10_000, print) : apex.train(placement, 475, 20, 10_000, print);
                }
                Apex.Counters c = apex.counters();
                System.out.println(r.summary("APEX-" + actors, seed, 475));
                System.out.printf(Locale.ROOT, "COUNTERS actors %d seed %d: env steps/s %.0f, updates/s %.1f, staleness mean %.2f max %d, sample age %.0f, replay %d, eps %s, behaviour returns %s, steps per actor %s%n",
                        actors, seed, c.envStepsPerSecond(), c.updatesPerSecond(), c.meanStaleness(), c.maxStaleness(), c.meanSampleAge(), c.replaySize(),
                        Arrays.toString(Arrays.stream(c.epsilons()).mapToObj(e -> String.format(Locale.ROOT, "%.4f", e)).toArray()),
                        Arrays.toString(Arrays.stream(c.behaviourReturns()).mapToObj(e -> String.format(Locale.ROOT, "%.1f", e)).toArray()),
                        Arrays.toString(c.stepsPerActor()));
            }
        }
    }
}

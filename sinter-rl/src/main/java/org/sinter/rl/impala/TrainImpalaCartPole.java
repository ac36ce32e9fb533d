package org.sinter.rl.impala;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains IMPALA on CartPole-v1 until the last 20 episodes average 475 (or 200,000 steps) with 1, 2
 * and 4 actor threads (or the counts given with --actors), for each seed given, printing a progress
 * line every 10,000 steps and one summary per run with the system's counters: the Lab 9 scaling
 * table's rows. {@code --warmup N} first runs an untimed N-step run with the largest count (JIT
 * warm-up); {@code --rotate} starts each seed's counts one place further along (see
 * {@link org.sinter.rl.RunOrder}). Usage: {@code TrainImpalaCartPole [--actors 1,2,4] [--warmup N]
 * [--rotate] [--processes] [seed…]}; {@code --processes} runs each actor in its own JVM.
 */
public final class TrainImpalaCartPole {
    private TrainImpalaCartPole() {}

    public static void main(String[] args) {
        int[] actors = {1, 2, 4};
        long warmup = 0;
        boolean rotate = false;
        org.sinter.rl.remote.Placement placement = org.sinter.rl.remote.Placement.THREADS;
        java.util.List<Long> seeds = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--actors" -> actors = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--warmup" -> warmup = Long.parseLong(args[++i]);
                case "--rotate" -> rotate = true;
                case "--processes" -> placement = org.sinter.rl.remote.Placement.PROCESSES;
                default -> seeds.add(Long.parseLong(args[i]));
            }
        }
        if (seeds.isEmpty()) seeds.add(1L);
        if (warmup > 0) {
            Impala impala = new Impala(() -> Envs.makeDiscrete("CartPole-v1"),
                    ImpalaConfig.cartPole(Arrays.stream(actors).max().orElseThrow()).withTotalTimesteps(warmup), 0);
            System.out.println("WARMUP " + impala.train(placement, 475, 20, Integer.MAX_VALUE, null).summary("IMPALA", 0, 475));
        }
        for (int s = 0; s < seeds.size(); s++) {
            long seed = seeds.get(s);
            for (int k : rotate ? org.sinter.rl.RunOrder.rotated(actors, s) : actors) {
                Impala impala = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), ImpalaConfig.cartPole(k), seed);
                TrainingResult r = impala.train(placement, 475, 20, 10_000, p -> System.out.printf(Locale.ROOT,
                        "actors %d seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f  updates/s %.1f  staleness %.2f (max %d)%n",
                        k, seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond(), p.counters().updatesPerSecond(),
                        p.counters().meanStaleness(), p.counters().maxStaleness()));
                Impala.Counters c = impala.counters();
                System.out.printf(Locale.ROOT, "%s; actors %d, updates/s %.1f, mean staleness %.2f (max %d), trajectories per actor %s%n",
                        r.summary("IMPALA-" + k, seed, 475), k, c.updatesPerSecond(), c.meanStaleness(), c.maxStaleness(), Arrays.toString(c.trajectoriesPerActor()));
            }
        }
    }
}

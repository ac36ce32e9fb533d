package org.sinter.rl.ppo;

import java.util.Locale;
import org.sinter.rl.envs.Envs;

/**
 * Trains PPO on CartPole-v1 to the bar (mean return 475 over the last 20 episodes within
 * 100,000 environment steps) for each seed given (default 1), printing a progress line per update
 * and one summary line per seed. Usage: {@code TrainPpoCartPole [seed…]}.
 */
public final class TrainPpoCartPole {
    private TrainPpoCartPole() {}

    public static void main(String[] args) {
        long[] seeds = args.length == 0 ? new long[] {1} : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        PpoConfig config = PpoConfig.cartPole();
        for (long seed : seeds) {
            Ppo ppo = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, seed);
            Ppo.Result r = ppo.train(475, 20, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
            System.out.printf(Locale.ROOT, "RESULT seed %d: %s 475 at %d steps; %d steps, %d episodes, last-20 mean return %.1f, %.1f s, %.0f steps/s%n",
                    seed, r.stepsToThreshold() >= 0 ? "reached" : "did not reach", r.stepsToThreshold(), r.steps(), r.episodes(), r.meanReturn(),
                    r.seconds(), r.steps() / r.seconds());
        }
    }
}

package org.sinter.rl.ppo;

import java.util.Locale;
import org.sinter.rl.TrainingResult;
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
            TrainingResult r = ppo.train(475, 20, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
            System.out.println(r.summary("PPO", seed, 475));
        }
    }
}

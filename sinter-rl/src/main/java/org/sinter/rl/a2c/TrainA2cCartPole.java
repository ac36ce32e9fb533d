package org.sinter.rl.a2c;

import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains A2C on CartPole-v1 until the mean return of the last 20 episodes reaches 475 (or
 * {@link A2cConfig#cartPole}'s 500,000 steps) for each seed given (default 1), printing a progress
 * line every 10,000 steps and one summary line per seed. Usage: {@code TrainA2cCartPole [seed…]}.
 */
public final class TrainA2cCartPole {
    private TrainA2cCartPole() {}

    public static void main(String[] args) {
        long[] seeds = args.length == 0 ? new long[] {1} : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        for (long seed : seeds) {
            A2c a2c = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole(), seed);
            TrainingResult r = a2c.train(475, 20, 10_000, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
            System.out.println(r.summary("A2C", seed, 475));
        }
    }
}

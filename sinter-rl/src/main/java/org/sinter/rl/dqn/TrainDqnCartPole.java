package org.sinter.rl.dqn;

import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains double DQN on CartPole-v1 towards the bar (mean return 475 over the last 20
 * episodes within 200,000 environment steps) for each seed given (default 1), printing progress
 * every 10,000 steps and one summary line per seed. Usage: {@code TrainDqnCartPole [seed…]}.
 */
public final class TrainDqnCartPole {
    private TrainDqnCartPole() {}

    public static void main(String[] args) {
        long[] seeds = args.length == 0 ? new long[] {1} : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        DqnConfig config = DqnConfig.cartPole();
        for (long seed : seeds) {
            Dqn dqn = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, seed);
            TrainingResult r = dqn.train(475, 20, 10_000, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  epsilon %.3f  steps/s %.0f%n",
                    seed, p.steps(), p.episodes(), p.meanReturn(), p.epsilon(), p.stepsPerSecond()));
            System.out.println(r.summary("DQN", seed, 475));
        }
    }
}

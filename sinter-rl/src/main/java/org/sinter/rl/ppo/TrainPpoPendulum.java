package org.sinter.rl.ppo;

import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains continuous-action PPO ({@link ContinuousPpo}, {@link PpoConfig#pendulum()}) on Pendulum-v1
 * for each seed given (default 1), printing a progress line per update and a {@code RESULT} line per
 * seed: the step at which the mean return of the last 10 episodes first reached the threshold
 * (default −200; {@code --threshold T}), where the run stops, within {@code --steps N} (default 200,000).
 */
public final class TrainPpoPendulum {
    private TrainPpoPendulum() {}

    public static void main(String[] args) {
        double threshold = -200;
        long steps = PpoConfig.pendulum().totalTimesteps();
        java.util.List<Long> seeds = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threshold" -> threshold = Double.parseDouble(args[++i]);
                case "--steps" -> steps = Long.parseLong(args[++i]);
                default -> seeds.add(Long.parseLong(args[i]));
            }
        }
        if (seeds.isEmpty()) seeds.add(1L);
        PpoConfig config = PpoConfig.pendulum().withTotalTimesteps(steps);
        for (long seed : seeds) {
            ContinuousPpo ppo = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), config, seed);
            TrainingResult r = ppo.train(threshold, 10, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
            System.out.println(r.summary("PPO-continuous", seed, threshold));
        }
    }
}

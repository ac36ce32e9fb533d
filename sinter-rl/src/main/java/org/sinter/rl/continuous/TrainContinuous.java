package org.sinter.rl.continuous;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains DDPG, TD3 or SAC on Pendulum-v1 to the bars (mean return over the last 10
 * episodes ≥ −200 within 20,000 steps for SAC and TD3, ≥ −160 within 50,000 for DDPG) with
 * {@link OffPolicyConfig#pendulum}, for each seed given, printing a progress line every 2,000 steps
 * and one summary line per seed. Usage: {@code TrainContinuous ddpg|td3|sac [seed…]}.
 */
public final class TrainContinuous {
    private TrainContinuous() {}

    public static void main(String[] args) {
        if (args.length == 0) throw new IllegalArgumentException("usage: TrainContinuous ddpg|td3|sac [seed…]");
        String algorithm = args[0];
        long[] seeds = args.length == 1 ? new long[] {1} : Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray();
        double bar = algorithm.equals("ddpg") ? -160 : -200;
        long budget = algorithm.equals("ddpg") ? 50_000 : 20_000;
        OffPolicyConfig config = OffPolicyConfig.pendulum(algorithm).withTotalTimesteps(budget);
        for (long seed : seeds) {
            OffPolicyTrainer trainer = create(algorithm, Envs.makeContinuous("Pendulum-v1"), config, seed);
            TrainingResult r = trainer.train(bar, 10, 2_000, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.stepsPerSecond()));
            System.out.println(r.summary(algorithm.toUpperCase(Locale.ROOT), seed, bar));
        }
    }

    /** A DDPG, TD3 or SAC trainer by name. */
    public static OffPolicyTrainer create(String algorithm, org.sinter.rl.Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        return switch (algorithm) {
            case "ddpg" -> new Ddpg(env, config, seed);
            case "td3" -> new Td3(env, config, seed);
            case "sac" -> new Sac(env, config, seed);
            default -> throw new IllegalArgumentException("no continuous-control algorithm '" + algorithm + "'; known: ddpg, td3, sac");
        };
    }
}

package org.sinter.rl.dqn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Trains DQN on CartPole-v1 to the bar (mean return 475 over the last 20 episodes within
 * 200,000 environment steps) for each seed given (default 1), printing a progress line every 10,000
 * steps and one summary line per seed. Usage: {@code TrainDqnCartPole [--variants dueling,nstep,per] [seed…]}
 * (see {@link DqnVariants#parse}; plain double DQN without the option).
 */
public final class TrainDqnCartPole {
    private TrainDqnCartPole() {}

    public static void main(String[] args) {
        DqnVariants variants = DqnVariants.NONE;
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--variants")) variants = DqnVariants.parse(args[++i]);
            else seeds.add(Long.parseLong(args[i]));
        }
        if (seeds.isEmpty()) seeds.add(1L);
        DqnConfig config = DqnConfig.cartPole().withVariants(variants);
        String name = variants.equals(DqnVariants.NONE) ? "DQN" : "DQN[" + variants + "]";
        for (long seed : seeds) {
            Dqn dqn = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, seed);
            TrainingResult r = dqn.train(475, 20, 10_000, p -> System.out.printf(Locale.ROOT,
                    "seed %d  steps %d  episodes %d  mean return %.1f  epsilon %.3f  steps/s %.0f%n", seed, p.steps(), p.episodes(), p.meanReturn(), p.epsilon(), p.stepsPerSecond()));
            System.out.println(r.summary(name, seed, 475));
        }
    }
}

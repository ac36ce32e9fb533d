package org.sinter.rl.impala;

import org.sinter.rl.DiscreteSpaces;
import org.sinter.rl.Env;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.remote.WorkerProcess;

/** An IMPALA actor in its own process, started by {@link Impala} with {@link org.sinter.rl.remote.Placement#PROCESSES}. */
public final class ImpalaWorkerMain {
    private ImpalaWorkerMain() {}

    public static void main(String[] args) {
        WorkerProcess.main(args, ImpalaConfig.class, setup -> {
            ImpalaConfig config = (ImpalaConfig) setup.config();
            Env<double[], Integer> env = Envs.makeDiscrete(setup.envId());
            DiscreteSpaces spaces = DiscreteSpaces.of("Impala", env);
            return new Actor(setup.index(), env, new ActorCritic(spaces.observationSize(), spaces.numActions(), config.hidden()), config, setup.seed());
        }, TrajectoryCodec.INSTANCE);
    }
}

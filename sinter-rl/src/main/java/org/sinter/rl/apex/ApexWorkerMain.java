package org.sinter.rl.apex;

import org.sinter.rl.DiscreteSpaces;
import org.sinter.rl.Env;
import org.sinter.rl.dqn.DuelingQNetwork;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.remote.WorkerProcess;

/** An Ape-X actor in its own process, started by {@link Apex} with {@link org.sinter.rl.remote.Placement#PROCESSES}. */
public final class ApexWorkerMain {
    private ApexWorkerMain() {}

    public static void main(String[] args) {
        WorkerProcess.main(args, ApexConfig.class, setup -> {
            ApexConfig config = (ApexConfig) setup.config();
            Env<double[], Integer> env = Envs.makeDiscrete(setup.envId());
            DiscreteSpaces spaces = DiscreteSpaces.of("Apex", env);
            return new ApexActor(setup.index(), env, new DuelingQNetwork(spaces.observationSize(), spaces.numActions(), config.hidden()),
                    spaces.observationSize(), spaces.numActions(), config, setup.seed());
        }, ChunkCodec.INSTANCE);
    }
}

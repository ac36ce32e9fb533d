package org.sinter.rl.vector;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.sinter.rl.Env;
import org.sinter.rl.spaces.Discrete;

/** How PPO's and A2C's environment copies are stepped: in the learner's thread, on a thread each, or each in a process of its own. */
public enum VectorMode {
    SYNC,
    ASYNC,
    PROCESS;

    /** {@code sync}, {@code async} or {@code process}. */
    public static VectorMode parse(String name) {
        for (VectorMode m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(name)) return m;
        throw new IllegalArgumentException("unknown vector env '" + name + "'; known: " + String.join(", ",
                Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList()));
    }

    /**
     * {@code numEnvs} copies from {@code factory}; for {@link #PROCESS} the children build the
     * environment by the id of one the factory makes, so it must be registered.
     */
    public <A> VectorEnv<double[], A> create(Supplier<? extends Env<double[], A>> factory, int numEnvs) {
        return switch (this) {
            case SYNC -> new SyncVectorEnv<>(factory, numEnvs);
            case ASYNC -> new AsyncVectorEnv<>(factory, numEnvs);
            case PROCESS -> {
                Env<double[], A> probe = factory.get();
                @SuppressWarnings("unchecked") // the probe's action space says which kind of actions A is
                VectorEnv<double[], A> envs = probe.actionSpace() instanceof Discrete
                        ? (VectorEnv<double[], A>) (VectorEnv<double[], ?>) ProcessVectorEnv.discrete(probe.id(), numEnvs)
                        : (VectorEnv<double[], A>) (VectorEnv<double[], ?>) ProcessVectorEnv.continuous(probe.id(), numEnvs);
                yield envs;
            }
        };
    }
}

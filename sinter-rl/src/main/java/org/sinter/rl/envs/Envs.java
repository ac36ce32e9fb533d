package org.sinter.rl.envs;

import java.util.List;
import org.sinter.rl.Env;

/** Gymnasium's {@code make} for the classic-control environments: the dynamics in their time limit. */
public final class Envs {
    /** The ids {@link #make} knows. */
    public static final List<String> IDS = List.of("CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1");

    private Envs() {}

    /** A discrete-action environment by id (CartPole-v1, Acrobot-v1, MountainCar-v0), time limit included. */
    public static Env<double[], Integer> makeDiscrete(String id) {
        return switch (id) {
            case "CartPole-v1" -> new TimeLimit<>(new CartPole(), CartPole.MAX_EPISODE_STEPS);
            case "Acrobot-v1" -> new TimeLimit<>(new Acrobot(), Acrobot.MAX_EPISODE_STEPS);
            case "MountainCar-v0" -> new TimeLimit<>(new MountainCar(), MountainCar.MAX_EPISODE_STEPS);
            default -> throw unknown(id, "discrete-action");
        };
    }

    /** A continuous-action environment by id (MountainCarContinuous-v0, Pendulum-v1), time limit included. */
    public static Env<double[], double[]> makeContinuous(String id) {
        return switch (id) {
            case "MountainCarContinuous-v0" -> new TimeLimit<>(new ContinuousMountainCar(), ContinuousMountainCar.MAX_EPISODE_STEPS);
            case "Pendulum-v1" -> new TimeLimit<>(new Pendulum(), Pendulum.MAX_EPISODE_STEPS);
            default -> throw unknown(id, "continuous-action");
        };
    }

    /** Any environment of {@link #IDS} by id, discrete or continuous. */
    public static Env<double[], ?> make(String id) {
        return switch (id) {
            case "CartPole-v1", "Acrobot-v1", "MountainCar-v0" -> makeDiscrete(id);
            default -> makeContinuous(id);
        };
    }

    private static IllegalArgumentException unknown(String id, String kind) {
        return new IllegalArgumentException("no " + kind + " environment '" + id + "'; known environments: " + IDS);
    }
}

package org.sinter.rl.agents;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.sinter.nn.Module;
import org.sinter.rl.Env;
import org.sinter.rl.continuous.DeterministicActor;
import org.sinter.rl.continuous.SquashedGaussianActor;
import org.sinter.rl.dqn.DqnVariants;
import org.sinter.rl.dqn.DuelingQNetwork;
import org.sinter.rl.dqn.QNetwork;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.actorcritic.GaussianActorCritic;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * Which network acts for a trained agent: the algorithm (which decides the network's kind), the
 * environment id (which decides its input and output sizes) and the hidden widths. It travels in a
 * checkpoint's metadata so that {@code sinter rl eval} can rebuild the network before loading it.
 */
public record PolicySpec(String algorithm, String envId, int[] hidden, DqnVariants variants) {
    static final String ALGORITHM = "rl.algorithm", ENV = "rl.env", HIDDEN = "rl.hidden", VARIANTS = "rl.dqn.variants";

    /** A spec without DQN variants. */
    public PolicySpec(String algorithm, String envId, int[] hidden) {
        this(algorithm, envId, hidden, DqnVariants.NONE);
    }

    public PolicySpec {
        java.util.Objects.requireNonNull(variants, "PolicySpec: variants");
        if (!algorithm.equals("dqn") && !variants.equals(DqnVariants.NONE)) {
            throw new IllegalArgumentException("PolicySpec: DQN variants (" + variants + ") given for " + algorithm);
        }
        Agents.checkPair(algorithm, envId);
        if (hidden.length == 0) throw new IllegalArgumentException("PolicySpec: needs at least one hidden width");
        for (int h : hidden) if (h <= 0) throw new IllegalArgumentException("PolicySpec: hidden widths must be positive, got " + Arrays.toString(hidden));
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Whether the environment's actions are discrete (PPO, A2C, IMPALA, DQN) or continuous (PPO, DDPG, TD3, SAC). */
    public boolean discrete() {
        return Agents.isDiscrete(envId);
    }

    /** A freshly initialized network of this kind and shape (weights to be loaded). */
    public Module newPolicy() {
        int width = hidden[0];
        if (discrete()) {
            Env<double[], Integer> env = Envs.makeDiscrete(envId);
            int obs = ((Box) env.observationSpace()).size(), actions = ((Discrete) env.actionSpace()).n();
            return switch (algorithm) {
                case "ppo", "a2c", "impala" -> new ActorCritic(obs, actions, width);
                case "apex" -> new DuelingQNetwork(obs, actions, hidden);
                default -> variants.dueling() ? new DuelingQNetwork(obs, actions, hidden) : new QNetwork(obs, actions, hidden);
            };
        }
        Env<double[], double[]> env = Envs.makeContinuous(envId);
        int obs = ((Box) env.observationSpace()).size();
        Box actions = (Box) env.actionSpace();
        return switch (algorithm) {
            case "sac" -> new SquashedGaussianActor(obs, actions, hidden);
            case "ppo" -> new GaussianActorCritic(obs, actions.size(), width);
            default -> new DeterministicActor(obs, actions, hidden);
        };
    }

    /** The checkpoint metadata entries that describe this spec. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ALGORITHM, algorithm);
        m.put(ENV, envId);
        m.put(HIDDEN, Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        if (!variants.equals(DqnVariants.NONE)) m.put(VARIANTS, variants.toString());
        return m;
    }

    /** The spec a checkpoint's metadata describes; {@code source} names the file in errors. */
    public static PolicySpec fromMetadata(Map<String, String> metadata, String source) {
        String algorithm = field(metadata, ALGORITHM, source), env = field(metadata, ENV, source), hidden = field(metadata, HIDDEN, source);
        int[] widths;
        try {
            widths = Arrays.stream(hidden.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": metadata field " + HIDDEN + " = '" + hidden + "' is not a comma-separated list of widths");
        }
        try {
            return new PolicySpec(algorithm, env, widths, DqnVariants.parse(metadata.getOrDefault(VARIANTS, "none")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> metadata, String key, String source) {
        String v = metadata.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(source + ": not an RL policy checkpoint (metadata field " + key + " is missing)");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicySpec p && p.algorithm.equals(algorithm) && p.envId.equals(envId) && Arrays.equals(p.hidden, hidden) && p.variants.equals(variants);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * algorithm.hashCode() + envId.hashCode()) + Arrays.hashCode(hidden)) + variants.hashCode();
    }

    @Override
    public String toString() {
        return (variants.equals(DqnVariants.NONE) ? algorithm : algorithm + "[" + variants + "]") + " on " + envId + " " + Arrays.toString(hidden);
    }
}

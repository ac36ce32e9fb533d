package org.sinter.rl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.nn.Module;
import org.sinter.Tensor;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.Stateful;
import org.sinter.optim.Optimizer;

/**
 * The full state of a resumable training run in one {@link Checkpoint} file (written atomically,
 * checksummed): the network, the optimizer, the environment step, and the trainer's identity
 * ({@code rl.*} fields: algorithm, environment, seed, settings) plus its loose state
 * ({@code rl.state}, a {@link StateCodec} field). Loading refuses a file whose identity differs from
 * the run that resumes it, naming the field.
 */
public final class TrainingState {
    /** The metadata field holding the loose state. */
    public static final String STATE = "rl.state";

    private TrainingState() {}

    /**
     * A settings record as the identity field {@code rl.config} holds it: its components with arrays
     * written out ({@code Record.toString} writes an array's identity, which differs between runs).
     */
    public static String settings(Record config) {
        StringBuilder b = new StringBuilder(config.getClass().getSimpleName()).append('[');
        var components = config.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            Object v;
            try {
                v = components[i].getAccessor().invoke(config);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("TrainingState: cannot read " + components[i].getName() + " of " + config.getClass().getSimpleName(), e);
            }
            b.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=').append(v instanceof int[] a ? java.util.Arrays.toString(a) : v);
        }
        return b.append(']').toString();
    }

    public static void save(Path file, Module model, Optimizer optimizer, long steps, Map<String, String> identity, String state) throws IOException {
        Checkpoint.Builder b = Checkpoint.builder().model(model.stateDict()).optimizer(optimizer).step(steps);
        identity.forEach(b::extra);
        b.extra(STATE, state);
        b.build().save(file);
    }

    /**
     * As {@link #save(Path, Module, Optimizer, long, Map, String)} for a trainer with several networks and
     * optimizers (DQN's online and target networks, SAC's actor, critics, targets and temperature):
     * each network's tensors under {@code name/}, each optimizer's state likewise.
     */
    public static void save(Path file, Map<String, Module> networks, Map<String, ? extends Stateful> optimizers, long steps, Map<String, String> identity,
                            String state) throws IOException {
        Checkpoint.Builder b = Checkpoint.builder().model(prefixed(networks)).optimizer(new Named(optimizers)).step(steps);
        identity.forEach(b::extra);
        b.extra(STATE, state);
        b.build().save(file);
    }

    /** Loads what the several-network {@link #save(Path, Map, Map, long, Map, String)} wrote, after checking {@code identity}. */
    public static Checkpoint load(Path file, Map<String, Module> networks, Map<String, ? extends Stateful> optimizers, Map<String, String> identity)
            throws IOException {
        Checkpoint c = checked(file, identity);
        Map<String, Tensor> all = c.modelState();
        for (Map.Entry<String, Module> e : networks.entrySet()) {
            String prefix = e.getKey() + "/";
            Map<String, Tensor> own = new LinkedHashMap<>();
            all.forEach((k, v) -> {
                if (k.startsWith(prefix)) own.put(k.substring(prefix.length()), v);
            });
            e.getValue().loadStateDict(own, true);
        }
        c.restore(new Named(optimizers), null, null);
        return c;
    }

    private static Map<String, Tensor> prefixed(Map<String, Module> networks) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        networks.forEach((name, m) -> m.stateDict().forEach((k, v) -> all.put(name + "/" + k, v)));
        return all;
    }

    /** Several optimizers as one {@link Stateful}: tensors under {@code name/}, values under {@code name}. */
    private record Named(Map<String, ? extends Stateful> parts) implements Stateful {
        @Override
        public Map<String, Tensor> stateTensors() {
            Map<String, Tensor> all = new LinkedHashMap<>();
            parts.forEach((name, p) -> p.stateTensors().forEach((k, v) -> all.put(name + "/" + k, v)));
            return all;
        }

        @Override
        public Map<String, Object> stateValues() {
            Map<String, Object> all = new LinkedHashMap<>();
            parts.forEach((name, p) -> all.put(name, p.stateValues()));
            return all;
        }

        @Override
        public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
            for (Map.Entry<String, ? extends Stateful> e : parts.entrySet()) {
                String prefix = e.getKey() + "/";
                Map<String, Tensor> own = new LinkedHashMap<>();
                tensors.forEach((k, v) -> {
                    if (k.startsWith(prefix)) own.put(k.substring(prefix.length()), v);
                });
                if (!(values.get(e.getKey()) instanceof Map<?, ?> v)) throw new IllegalArgumentException("the saved training state has no optimizer " + e.getKey());
                @SuppressWarnings("unchecked") // written by stateValues above: a map of strings to JSON values
                Map<String, Object> own2 = (Map<String, Object>) v;
                e.getValue().loadState(own, own2);
            }
        }
    }

    /** Loads {@code file} into {@code model} and {@code optimizer} after checking {@code identity}; returns the checkpoint. */
    public static Checkpoint load(Path file, Module model, Optimizer optimizer, Map<String, String> identity) throws IOException {
        Checkpoint c = checked(file, identity);
        model.loadStateDict(c.modelState(), true);
        c.restore(optimizer, null, null);
        return c;
    }

    /** The checkpoint in {@code file}, refused naming the field when it was saved by another run or is no training state. */
    private static Checkpoint checked(Path file, Map<String, String> identity) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        Map<String, String> extra = new LinkedHashMap<>(c.extra());
        for (Map.Entry<String, String> e : identity.entrySet()) {
            String saved = extra.get(e.getKey());
            if (saved == null) throw new IllegalArgumentException(file + ": not a resumable RL training state (field " + e.getKey() + " is missing)");
            if (!saved.equals(e.getValue())) {
                throw new IllegalArgumentException(file + ": saved by a different run: " + e.getKey() + " is " + saved + ", this run has " + e.getValue());
            }
        }
        if (!extra.containsKey(STATE)) throw new IllegalArgumentException(file + ": not a resumable RL training state (field " + STATE + " is missing)");
        return c;
    }
}

package org.sinter.rl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.nn.Module;
import org.sinter.nn.io.Checkpoint;
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

    public static void save(Path file, Module model, Optimizer optimizer, long steps, Map<String, String> identity, String state) throws IOException {
        Checkpoint.Builder b = Checkpoint.builder().model(model.stateDict()).optimizer(optimizer).step(steps);
        identity.forEach(b::extra);
        b.extra(STATE, state);
        b.build().save(file);
    }

    /** Loads {@code file} into {@code model} and {@code optimizer} after checking {@code identity}; returns the checkpoint. */
    public static Checkpoint load(Path file, Module model, Optimizer optimizer, Map<String, String> identity) throws IOException {
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
        model.loadStateDict(c.modelState(), true);
        c.restore(optimizer, null, null);
        return c;
    }
}

package org.sinter.rl.agents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.nn.Module;
import org.sinter.nn.io.SafeTensors;

/**
 * A trained policy in a safetensors file: the acting network's state dict, and in the metadata its
 * {@link PolicySpec} plus the environment steps it was trained for. Written atomically (a reader
 * never sees half a file), so a checkpoint taken during training can be evaluated while it runs.
 */
public final class PolicyCheckpoint {
    static final String STEPS = "rl.steps";

    /** A loaded policy: what it is, its network with the saved weights, and how long it trained. */
    public record Loaded(PolicySpec spec, Module policy, long steps) {}

    private PolicyCheckpoint() {}

    public static void save(Path file, PolicySpec spec, Module policy, long steps) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(spec.metadata());
        metadata.put(STEPS, Long.toString(steps));
        SafeTensors.save(policy.stateDict(), file, metadata);
    }

    /** Reads a checkpoint and rebuilds its network; a file that is not one, or whose tensors do not fit, fails naming the file. */
    public static Loaded load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        PolicySpec spec = PolicySpec.fromMetadata(contents.metadata(), file.toString());
        Module policy = spec.newPolicy();
        try {
            policy.loadStateDict(contents.tensors(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": its tensors do not fit a " + spec + " policy: " + e.getMessage(), e);
        }
        long steps;
        try {
            steps = Long.parseLong(contents.metadata().getOrDefault(STEPS, "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": metadata field " + STEPS + " = '" + contents.metadata().get(STEPS) + "' is not a number");
        }
        return new Loaded(spec, policy, steps);
    }
}

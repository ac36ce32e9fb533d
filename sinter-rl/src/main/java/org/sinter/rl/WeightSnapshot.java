package org.sinter.rl;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * Weights a learner broadcasts to its rollout workers, with the number of learner updates they come
 * from: a copy, so the learner can go on updating while workers load it.
 */
public record WeightSnapshot(long version, Map<String, Tensor> state) {
    public WeightSnapshot {
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** A copy of {@code module}'s state dict as of update {@code version}. */
    public static WeightSnapshot of(Module module, long version) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (var _ = Sinter.noGrad()) {
            module.stateDict().forEach((k, w) -> copy.put(k, w.detach().clone()));
        }
        return new WeightSnapshot(version, copy);
    }
}

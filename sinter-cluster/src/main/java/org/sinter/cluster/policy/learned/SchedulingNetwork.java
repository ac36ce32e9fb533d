package org.sinter.cluster.policy.learned;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.io.SafeTensors;

/**
 * The learned policy's network: one small MLP scores every candidate from its features (the same
 * weights for each, so the number of candidates may vary), and a softmax over the scores is the
 * policy. Saved and loaded as safetensors.
 */
public final class SchedulingNetwork {
    private final Module mlp;

    public SchedulingNetwork(int hidden) {
        this.mlp = new Sequential(new Linear(CandidateFeatures.COUNT, hidden), new ReLU(), new Linear(hidden, hidden), new ReLU(), new Linear(hidden, 1));
    }

    Module module() {
        return mlp;
    }

    /** Scores of {@code x}: [..., features] → [...]. */
    Tensor scores(Tensor x) {
        return mlp.forward(x).squeeze(-1);
    }

    public void save(Path file) throws IOException {
        SafeTensors.save(mlp.stateDict(), file, Map.of("format", "sinter-cluster learned policy", "features", String.valueOf(CandidateFeatures.COUNT)));
    }

    public static SchedulingNetwork load(Path file, int hidden) throws IOException {
        SchedulingNetwork n = new SchedulingNetwork(hidden);
        n.mlp.loadStateDict(SafeTensors.load(file), true);
        return n;
    }
}

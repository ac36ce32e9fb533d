package org.sinter.nn.io;

import java.util.Map;
import org.sinter.Tensor;

/**
 * Something with training state that a {@link Checkpoint} saves and restores: optimizers (moment
 * buffers as tensors, step counts and hyper-parameters as values), learning-rate schedulers,
 * samplers. PyTorch's {@code state_dict()}/{@code load_state_dict()}, split into tensors (stored as
 * safetensors data) and plain values (stored as JSON).
 */
public interface Stateful {
    /** The state held in tensors, by stable key (e.g. {@code "0.exp_avg"}). */
    Map<String, Tensor> stateTensors();

    /**
     * The state held in plain values that JSON can carry: numbers, strings, booleans, lists and
     * maps of those. After a round trip numbers come back as Integer, Long or Double, whichever
     * holds them, so read them through {@link Number}.
     */
    Map<String, Object> stateValues();

    /** Restores what {@link #stateTensors()} and {@link #stateValues()} returned. */
    void loadState(Map<String, Tensor> tensors, Map<String, Object> values);
}

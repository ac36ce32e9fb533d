package org.sinter.autograd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * Per-call state of a {@link Function}: tensors saved for backward (checked against later in-place
 * modification, like PyTorch's {@code ctx.save_for_backward}), which inputs need gradients, and
 * non-tensor values (e.g. hyper-parameters) under names.
 */
public final class FunctionContext {
    private final boolean[] needsInputGrad;
    private final List<Tensor> saved = new ArrayList<>();
    private final List<Integer> savedVersions = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    FunctionContext(boolean[] needsInputGrad) {
        this.needsInputGrad = needsInputGrad;
    }

    /** Saves tensors for backward. */
    public void saveForBackward(Tensor... tensors) {
        for (Tensor t : tensors) {
            saved.add(t);
            savedVersions.add(t == null ? 0 : t.storage().version());
        }
    }

    /** The saved tensors; fails clearly if one was modified in place after being saved. */
    public List<Tensor> savedTensors() {
        for (int i = 0; i < saved.size(); i++) {
            Tensor t = saved.get(i);
            if (t != null && t.storage().version() != savedVersions.get(i)) {
                throw new IllegalStateException("saved tensor " + i + " (" + t.describe() + ") of a custom Function was modified by an "
                        + "in-place operation after it was saved: it is at version " + t.storage().version() + "; expected version "
                        + savedVersions.get(i));
            }
        }
        return List.copyOf(saved);
    }

    /** Whether input {@code i} requires a gradient (backward may return null for it otherwise). */
    public boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /** Stores a non-tensor value for backward. */
    public void put(String key, Object value) {
        values.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (!values.containsKey(key)) throw new IllegalArgumentException("FunctionContext: no value stored under '" + key + "'");
        return (T) values.get(key);
    }

    Map<String, Object> attributes() {
        return Map.copyOf(values);
    }
}

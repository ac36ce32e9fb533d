package org.sinter.nn.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Tensor;

/** The state of one {@link Stateful} at the moment it was captured: its tensors and its values. */
public record StateSnapshot(Map<String, Tensor> tensors, Map<String, Object> values) {
    /** No state at all (a checkpoint without optimizer or scheduler). */
    public static final StateSnapshot EMPTY = new StateSnapshot(Map.of(), Map.of());

    public StateSnapshot {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Captures {@code s}'s current state (EMPTY when s is null). */
    public static StateSnapshot of(Stateful s) {
        return s == null ? EMPTY : new StateSnapshot(s.stateTensors(), s.stateValues());
    }

    /** Hands this state to {@code s}. */
    public void restoreInto(Stateful s) {
        s.loadState(tensors, values);
    }

    public boolean isEmpty() {
        return tensors.isEmpty() && values.isEmpty();
    }
}

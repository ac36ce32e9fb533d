package org.sinter.rl;

import java.util.Map;

/** What {@link Env#reset} returns: the first observation of an episode and auxiliary info. */
public record ResetResult<O>(O observation, Map<String, Object> info) {
    public ResetResult(O observation) {
        this(observation, Map.of());
    }
}

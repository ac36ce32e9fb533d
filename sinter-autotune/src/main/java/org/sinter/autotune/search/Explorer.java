package org.sinter.autotune.search;

import java.util.List;

/** Proposes the next configurations to measure (AutoTVM's Tuner.next_batch). */
public interface Explorer {
    String name();

    /** Up to {@code n} configurations not yet measured (fewer only when the space runs out). */
    List<org.sinter.autotune.space.Config> next(int n, SearchState state);
}

package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sinter.autotune.space.Config;

/** Uniformly random configurations, without repeats (AutoTVM's RandomTuner). */
public final class RandomExplorer implements Explorer {
    @Override public String name() { return "random"; }

    @Override
    public List<Config> next(int n, SearchState state) {
        Set<Config> out = new LinkedHashSet<>();
        for (int tries = 0; out.size() < n && tries < 50 * n; tries++) {
            Config c = state.randomUnvisited();
            if (c == null) break;
            out.add(c);
        }
        return new ArrayList<>(out);
    }
}

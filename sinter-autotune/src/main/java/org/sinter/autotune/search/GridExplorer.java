package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.List;
import org.sinter.autotune.space.Config;

/** Every configuration in index order (AutoTVM's GridSearchTuner). */
public final class GridExplorer implements Explorer {
    private long cursor;

    @Override public String name() { return "grid"; }

    @Override
    public List<Config> next(int n, SearchState state) {
        List<Config> out = new ArrayList<>();
        long size = state.space().size();
        while (out.size() < n && cursor < size) {
            Config c = state.space().get(cursor++);
            if (state.proposable(c)) out.add(c);
        }
        return out;
    }
}

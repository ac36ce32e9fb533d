package org.sinter.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A list of registered submodules (PyTorch's {@code nn.ModuleList}); it has no forward of its own. */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> items = new ArrayList<>();

    @SuppressWarnings("this-escape") // registers its submodules with Module in the constructor, as PyTorch does
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList add(Module m) {
        registerModule(Integer.toString(items.size()), m);
        items.add(m);
        return this;
    }

    @SuppressWarnings("unchecked")
    public <M extends Module> M get(int i) {
        return (M) items.get(i);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(items).iterator();
    }
}

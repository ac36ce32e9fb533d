package org.sinter.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sinter.Tensor;

/** Modules applied in order, each to the previous one's output (PyTorch's {@code nn.Sequential}). */
public class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers = new ArrayList<>();

    @SuppressWarnings("this-escape") // registers its submodules with Module in the constructor, as PyTorch does
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its position). */
    public Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(layers).iterator();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}

package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.ConvNd;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/** One parameter of one module, named as {@code torch.nn.utils.prune} takes it: {@code (module, "weight")}. */
public record PruneTarget(Module module, String name) {
    public PruneTarget {
        if (module == null) throw new IllegalArgumentException("prune: module is null");
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("prune: parameter name must be a direct parameter of the module (no '.'), got '" + name + "'");
        }
    }

    /** The parameter tensor; an error names the module and parameter when it does not exist. */
    public Tensor parameter() {
        Tensor t = module.namedParameters().get(name);
        if (t == null) {
            throw new IllegalArgumentException("prune: " + module.getClass().getSimpleName() + " has no parameter named '" + name
                    + "' (it has " + directParameterNames(module) + ")");
        }
        return t;
    }

    /** The weights of every Linear and Conv layer in {@code model}: the usual candidates for pruning. */
    public static List<PruneTarget> weightsOf(Module model) {
        List<PruneTarget> out = new ArrayList<>();
        for (Module m : model.modules()) {
            if (m instanceof Linear || m instanceof ConvNd) out.add(new PruneTarget(m, "weight"));
        }
        return out;
    }

    private static List<String> directParameterNames(Module m) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) if (!e.getKey().contains(".")) names.add(e.getKey());
        return names;
    }

    @Override
    public String toString() {
        return module.getClass().getSimpleName() + "." + name;
    }
}

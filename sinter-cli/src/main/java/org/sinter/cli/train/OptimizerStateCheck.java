package org.sinter.cli.train;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.optim.Optimizer;

/**
 * Checks a checkpoint's optimizer state against the optimizer it is about to be loaded into:
 * every parameter has every state tensor the optimizer keeps, with the parameter's shape and
 * dtype, and nothing else. A damaged state would otherwise load silently and fail (or worse, not
 * fail) only at the first step.
 *
 * <p>Which tensors an optimizer keeps per parameter is learned from the optimizer itself: one
 * step of the same kind on a one-element probe parameter.
 */
final class OptimizerStateCheck {
    private OptimizerStateCheck() {}

    static void check(Path file, String optimizer, double lr, List<Tensor> params, Map<String, Tensor> tensors,
                      Map<String, Object> values, long step) {
        Set<String> names = new LinkedHashSet<>(), valueNames = new LinkedHashSet<>();
        probe(optimizer, lr, names, valueNames);
        if (step == 0 && tensors.isEmpty()) return; // no step taken yet: no state
        for (String k : tensors.keySet()) {
            if (!known(k, params.size(), names)) {
                throw new IllegalArgumentException("checkpoint " + file + ": unexpected optimizer state tensor \"" + k + "\" (" + optimizer
                        + " keeps " + names + " for each of " + params.size() + " parameters)");
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            for (String n : names) {
                String key = "state." + i + "." + n;
                Tensor t = tensors.get(key);
                if (t == null) {
                    throw new IllegalArgumentException("checkpoint " + file + ": optimizer state tensor \"" + key + "\" is missing ("
                            + optimizer + " keeps " + names + " for every parameter)");
                }
                if (!java.util.Arrays.equals(t.shape(), p.shape()) || t.dtype() != p.dtype()) {
                    throw new IllegalArgumentException("checkpoint " + file + ": optimizer state tensor \"" + key + "\" is "
                            + t.dtype() + " " + java.util.Arrays.toString(t.shape()) + ", expected " + p.dtype() + " "
                            + java.util.Arrays.toString(p.shape()) + " like parameter " + i);
                }
            }
            for (String n : valueNames) {
                String key = "state." + i + "." + n;
                if (!(values.get(key) instanceof Number num) || num.doubleValue() < 0 || !Double.isFinite(num.doubleValue())) {
                    throw new IllegalArgumentException("checkpoint " + file + ": optimizer state value \"" + key + "\" is "
                            + values.get(key) + ", expected a non-negative number");
                }
            }
        }
        Object glr = values.get("param_groups.0.lr");
        if (glr != null && (!(glr instanceof Number n) || !(n.doubleValue() > 0) || !Double.isFinite(n.doubleValue()))) {
            throw new IllegalArgumentException("checkpoint " + file + ": optimizer value \"param_groups.0.lr\" is " + glr
                    + ", expected a positive finite learning rate");
        }
    }

    private static boolean known(String key, int nParams, Set<String> names) {
        if (!key.startsWith("state.")) return false;
        String rest = key.substring(6);
        int dot = rest.indexOf('.');
        if (dot <= 0) return false;
        try {
            int i = Integer.parseInt(rest.substring(0, dot));
            return i >= 0 && i < nParams && names.contains(rest.substring(dot + 1));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void probe(String optimizer, double lr, Set<String> tensorNames, Set<String> valueNames) {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        Optimizer o = Optimizers.create(optimizer, List.of(p), lr);
        p.setGrad(Tensor.ones(1));
        o.step();
        for (String k : o.stateTensors().keySet()) tensorNames.add(k.substring("state.0.".length()));
        for (String k : o.stateValues().keySet()) if (k.startsWith("state.0.")) valueNames.add(k.substring("state.0.".length()));
    }
}

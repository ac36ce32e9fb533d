package org.sinter.cli.train;

import java.util.List;
import org.sinter.Tensor;
import org.sinter.optim.Adadelta;
import org.sinter.optim.Adagrad;
import org.sinter.optim.Adam;
import org.sinter.optim.AdamW;
import org.sinter.optim.Optimizer;
import org.sinter.optim.RMSprop;
import org.sinter.optim.SGD;

/** Builds an optimizer from its command-line name with sensible defaults for the rest. */
final class Optimizers {
    private Optimizers() {}

    static Optimizer create(String name, List<Tensor> params, double lr) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sgd" -> new SGD(params, SGD.options().lr(lr).momentum(0.9));
            case "adam" -> new Adam(params, Adam.options().lr(lr));
            case "adamw" -> new AdamW(params, AdamW.options().lr(lr).weightDecay(0.01));
            case "adadelta" -> new Adadelta(params, Adadelta.options().lr(lr));
            case "rmsprop" -> new RMSprop(params, RMSprop.options().lr(lr));
            case "adagrad" -> new Adagrad(params, Adagrad.options().lr(lr));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (sgd, adam, adamw, adadelta, rmsprop, adagrad)");
        };
    }
}

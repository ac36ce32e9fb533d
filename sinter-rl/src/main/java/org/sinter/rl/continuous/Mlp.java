package org.sinter.rl.continuous;

import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** The ReLU multilayer perceptrons the continuous-control networks are built from (PyTorch's default Linear init). */
final class Mlp {
    private Mlp() {}

    /** Linear layers {@code in → hidden… → out} with a ReLU after every hidden layer, none after the last. */
    static Sequential of(int in, int[] hidden, int out) {
        Sequential s = trunk(in, hidden);
        s.add(new Linear(hidden.length == 0 ? in : hidden[hidden.length - 1], out));
        return s;
    }

    /** Linear + ReLU layers {@code in → hidden…}, the shared body of a network with several heads. */
    static Sequential trunk(int in, int[] hidden) {
        Sequential s = new Sequential();
        for (int h : hidden) {
            s.add(new Linear(in, h)).add(new ReLU());
            in = h;
        }
        return s;
    }
}

package org.sinter.learned.index.rmi;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;

/**
 * The RMI's small-neural-network stage (Kraska et al. use 0–2 hidden layers of up to 32 ReLU units
 * at the root): {@code Linear(1, h) -> ReLU -> Linear(h, 1)} trained with Sinter's autograd and
 * Adam on the squared error of a sample of (key, CDF) points. Lookups then evaluate the trained
 * weights directly in Java doubles: running a framework per lookup would cost microseconds, which is
 * why Kraska et al. also extract their TensorFlow models into generated code.
 */
public final class NeuralModel implements RootModel {
    private final double[] w1, b1, w2;
    private final double b2;

    NeuralModel(double[] w1, double[] b1, double[] w2, double b2) {
        this.w1 = w1; this.b1 = b1; this.w2 = w2; this.b2 = b2;
    }

    /** Trains on the points with full-batch Adam for {@code steps} steps; deterministic for a seed. */
    public static NeuralModel train(double[] x, double[] y, int hidden, int steps, double lr, long seed) {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("NeuralModel.train: need as many y as x values (> 0), got " + x.length + " and " + y.length);
        if (hidden < 1 || steps < 0) throw new IllegalArgumentException("NeuralModel.train: hidden must be >= 1 and steps >= 0, got " + hidden + " and " + steps);
        Sinter.manualSeed(seed);
        Linear l1 = new Linear(1, hidden), l2 = new Linear(hidden, 1);
        Sequential net = new Sequential(l1, new ReLU(), l2);
        float[] xs = new float[x.length], ys = new float[y.length];
        for (int i = 0; i < x.length; i++) { xs[i] = (float) x[i]; ys[i] = (float) y[i]; }
        Tensor input = Tensor.of(xs, x.length, 1), target = Tensor.of(ys, y.length, 1);
        Adam adam = new Adam(net.parameters(), lr);
        for (int s = 0; s < steps; s++) {
            adam.zeroGrad();
            Tensor loss = F.mseLoss(net.forward(input), target);
            loss.backward();
            adam.step();
        }
        float[] fw1 = l1.weight.toFloatArray(), fb1 = l1.bias.toFloatArray(), fw2 = l2.weight.toFloatArray(), fb2 = l2.bias.toFloatArray();
        double[] w1 = new double[hidden], b1 = new double[hidden], w2 = new double[hidden];
        for (int j = 0; j < hidden; j++) { w1[j] = fw1[j]; b1[j] = fb1[j]; w2[j] = fw2[j]; }
        return new NeuralModel(w1, b1, w2, fb2[0]);
    }

    @Override
    public double predict(double x) {
        double y = b2;
        for (int j = 0; j < w1.length; j++) y += w2[j] * Math.max(0, w1[j] * x + b1[j]);
        return y;
    }

    public int hidden() { return w1.length; }

    @Override public long bytes() { return 8L * (3L * w1.length + 1); }

    @Override public String describe() { return "nn" + w1.length; }
}

package org.sinter.privacy.examples;

import java.util.Locale;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Subset;
import org.sinter.data.datasets.MNIST;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;
import org.sinter.privacy.PrivacyEngine;
import org.sinter.privacy.PrivateTraining;
import org.sinter.privacy.adversarial.Accuracy;
import org.sinter.privacy.adversarial.MembershipInference;

/**
 * What DP-SGD buys against membership inference: the same MLP trained on the first 1,000 MNIST
 * training images without and with DP-SGD (ε target, δ = 1e-5), then the loss-threshold attack
 * telling those 1,000 members from the next 1,000 training images (never trained on).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … org.sinter.privacy.examples.MembershipInferenceMnist [epochs] [target ε] [seed]
 * </pre>
 */
public final class MembershipInferenceMnist {
    private static final int MEMBERS = 1000, BATCH = 50;

    private MembershipInferenceMnist() {}

    static Module mlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double targetEpsilon = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        var members = Subset.range(MNIST.train(), 0, MEMBERS);
        Batch in = DataLoader.builder(members).batchSize(MEMBERS).build().iterator().next();
        // Non-members: the next 1,000 training images, from the same distribution as the members.
        Batch out = DataLoader.builder(Subset.range(MNIST.train(), MEMBERS, 2 * MEMBERS)).batchSize(MEMBERS).build().iterator().next();
        Batch test = DataLoader.builder(MNIST.test()).batchSize(10000).build().iterator().next();
        var loader = DataLoader.builder(members).batchSize(BATCH).shuffle(true).seed(seed).build();

        Sinter.manualSeed(seed);
        Module plain = mlp();
        var sgd = new SGD(plain.parameters(), 0.1);
        for (int e = 0; e < epochs; e++) {
            for (Batch b : loader) {
                sgd.zeroGrad();
                F.crossEntropy(plain.forward(MnistDpSgd.normalize(b.input())), b.target()).backward();
                sgd.step();
            }
        }
        report("non-private", plain, in, out, test, Double.NaN);

        Sinter.manualSeed(seed);
        Module priv = mlp();
        var engine = new PrivacyEngine(new Generator(seed + 1));
        PrivateTraining dp = engine.makePrivateWithEpsilon(priv, new SGD(priv.parameters(), 0.1), loader, targetEpsilon, 1e-5, epochs, 1.0);
        for (int e = 0; e < epochs; e++) {
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                F.crossEntropy(dp.module().forward(MnistDpSgd.normalize(b.input())), b.target()).backward();
                dp.optimizer().step();
            }
        }
        System.out.printf(Locale.ROOT, "DP-SGD: σ = %.3f, C = 1.0, q = %.3f%n", dp.optimizer().noiseMultiplier(), dp.loader().sampleRate());
        report("DP-SGD", priv, in, out, test, engine.getEpsilon(1e-5));
    }

    private static void report(String name, Module model, Batch in, Batch out, Batch test, double eps) {
        var r = MembershipInference.lossThreshold(model, MnistDpSgd.normalize(in.input()), in.target(),
                MnistDpSgd.normalize(out.input()), out.target());
        System.out.printf(Locale.ROOT, "%s: train accuracy %.4f, test accuracy %.4f, ε = %s; membership advantage %.4f (TPR %.3f, FPR %.3f)%n",
                name, Accuracy.of(model, MnistDpSgd.normalize(in.input()), in.target()),
                Accuracy.of(model, MnistDpSgd.normalize(test.input()), test.target()),
                Double.isNaN(eps) ? "∞" : String.format(Locale.ROOT, "%.3f (δ = 1e-5)", eps),
                r.advantage(), r.truePositiveRate(), r.falsePositiveRate());
    }
}

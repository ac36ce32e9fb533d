package org.sinter.privacy.examples;

import java.util.Locale;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Subset;
import org.sinter.data.TensorDataset;
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
import org.sinter.privacy.adversarial.ShadowModelAttack;

/**
 * What DP-SGD buys against membership inference: the same MLP trained on the first 1,000 MNIST
 * training images without and with DP-SGD (ε target, δ = 1e-5), then the loss-threshold attack
 * telling those 1,000 members from the next 1,000 training images (never trained on), and the
 * shadow-model attack (Shokri et al.): {@code shadows} models of the same recipe (DP-SGD or not),
 * each on 1,000 further training images with 1,000 more held out, teach an attack classifier.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … org.sinter.privacy.examples.MembershipInferenceMnist [epochs] [target ε] [seed] [shadows] [both|plain|dp]
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
        int shadows = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        // "both", or "plain" / "dp" for one half (each half is deterministic on its own: its own seeds, its own models).
        String which = args.length > 4 ? args[4] : "both";
        if (!which.equals("both") && !which.equals("plain") && !which.equals("dp")) {
            throw new IllegalArgumentException("MembershipInferenceMnist: 5th argument must be both, plain or dp, got " + which);
        }
        var members = Subset.range(MNIST.train(), 0, MEMBERS);
        Batch in = DataLoader.builder(members).batchSize(MEMBERS).build().iterator().next();
        // Non-members: the next 1,000 training images, from the same distribution as the members.
        Batch out = DataLoader.builder(Subset.range(MNIST.train(), MEMBERS, 2 * MEMBERS)).batchSize(MEMBERS).build().iterator().next();
        Batch test = DataLoader.builder(MNIST.test()).batchSize(10000).build().iterator().next();
        // The shadow attacker's own data: further training images, disjoint from the target's members and non-members.
        Batch pool = shadows == 0 ? null : DataLoader.builder(Subset.range(MNIST.train(), 2 * MEMBERS, 2 * MEMBERS + 2 * shadows * MEMBERS))
                .batchSize(2 * shadows * MEMBERS).build().iterator().next();

        if (!which.equals("dp")) {
            ShadowModelAttack.Recipe plainRecipe = (x, y, s) -> trainPlain(x, y, epochs, s);
            Module plain = plainRecipe.train(in.input(), in.target(), seed);
            report("non-private", plain, in, out, test, Double.NaN, shadows == 0 ? null : shadowAttack(plainRecipe, pool, shadows, seed), shadows);
        }
        if (which.equals("plain")) return;

        double[] epsilon = new double[1];
        ShadowModelAttack.Recipe dpRecipe = (x, y, s) -> trainPrivate(x, y, epochs, targetEpsilon, s, epsilon);
        Module priv = dpRecipe.train(in.input(), in.target(), seed);
        double targetSpent = epsilon[0];
        report("DP-SGD", priv, in, out, test, targetSpent, shadows == 0 ? null : shadowAttack(dpRecipe, pool, shadows, seed), shadows);
    }

    private static ShadowModelAttack shadowAttack(ShadowModelAttack.Recipe recipe, Batch pool, int shadows, long seed) {
        return ShadowModelAttack.train(recipe, pool.input(), pool.target(), shadows, MEMBERS, seed + 77);
    }

    /** Plain minibatch SGD on raw pixels {@code x} (normalised here), as the target is trained. */
    static Module trainPlain(Tensor x, Tensor y, int epochs, long seed) {
        Sinter.manualSeed(seed);
        Module m = new Normalised(mlp());
        var sgd = new SGD(m.parameters(), 0.1);
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(BATCH).shuffle(true).seed(seed).build();
        for (int e = 0; e < epochs; e++) {
            for (Batch b : loader) {
                sgd.zeroGrad();
                F.crossEntropy(m.forward(b.input()), b.target()).backward();
                sgd.step();
            }
        }
        return m;
    }

    /** DP-SGD with σ calibrated for {@code targetEpsilon} after {@code epochs}; the ε spent goes to {@code spent[0]}. */
    static Module trainPrivate(Tensor x, Tensor y, int epochs, double targetEpsilon, long seed, double[] spent) {
        Sinter.manualSeed(seed);
        Module m = new Normalised(mlp());
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(BATCH).shuffle(true).seed(seed).build();
        var engine = new PrivacyEngine(new Generator(seed + 1));
        PrivateTraining dp = engine.makePrivateWithEpsilon(m, new SGD(m.parameters(), 0.1), loader, targetEpsilon, 1e-5, epochs, 1.0);
        for (int e = 0; e < epochs; e++) {
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                F.crossEntropy(dp.module().forward(b.input()), b.target()).backward();
                dp.optimizer().step();
            }
        }
        spent[0] = engine.getEpsilon(1e-5);
        System.out.printf(Locale.ROOT, "  DP-SGD model (seed %d): σ = %.3f, C = 1.0, q = %.3f, ε = %.3f%n", seed, dp.optimizer().noiseMultiplier(),
                dp.loader().sampleRate(), spent[0]);
        return m;
    }

    /** MNIST's normalisation inside the model, so that attacks and training both see raw pixels. */
    static final class Normalised extends Module {
        private final Module inner;

        Normalised(Module inner) {
            this.inner = registerModule("inner", inner);
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.forward(MnistDpSgd.normalize(x));
        }
    }

    private static void report(String name, Module model, Batch in, Batch out, Batch test, double eps, ShadowModelAttack shadow, int shadows) {
        var r = MembershipInference.lossThreshold(model, in.input(), in.target(), out.input(), out.target());
        System.out.printf(Locale.ROOT, "%s: train accuracy %.4f, test accuracy %.4f, ε = %s; loss-threshold membership advantage %.4f (TPR %.3f,"
                        + " FPR %.3f)%n", name, Accuracy.of(model, in.input(), in.target()), Accuracy.of(model, test.input(), test.target()),
                Double.isNaN(eps) ? "∞" : String.format(Locale.ROOT, "%.3f (δ = 1e-5)", eps),
                r.advantage(), r.truePositiveRate(), r.falsePositiveRate());
        if (shadow != null) {
            var s = shadow.evaluate(model, in.input(), in.target(), out.input(), out.target());
            System.out.printf(Locale.ROOT, "%s: shadow-model attack (%d shadows of %d in + %d out) advantage %.4f (TPR %.3f, FPR %.3f)%n", name,
                    shadows, MEMBERS, MEMBERS, s.advantage(), s.truePositiveRate(), s.falsePositiveRate());
        }
    }
}

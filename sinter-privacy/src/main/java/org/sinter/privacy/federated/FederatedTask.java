package org.sinter.privacy.federated;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.MNIST;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.privacy.adversarial.Accuracy;

/**
 * A learning problem to federate: the model architecture, the pooled training set (to be split
 * among clients) and the server's test set. A server and its client processes build the same task
 * from the same arguments, so each process derives its own shard of the split independently.
 */
public record FederatedTask(String name, Supplier<Module> model, Tensor trainInputs, Tensor trainLabels, Tensor testInputs, Tensor testLabels) {

    /** {@code mnist} (the shipped MNIST, normalised, a small CNN) or {@code blobs} (a synthetic test problem). */
    public static FederatedTask named(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist" -> mnist();
            case "blobs" -> blobs(2000, seed);
            default -> throw new IllegalArgumentException("federated task '" + name + "' unknown; choose mnist or blobs");
        };
    }

    /**
     * MNIST with a CNN of 46,746 parameters: conv 5×5 (16) → ReLU → max-pool 2 → conv 5×5 (32) →
     * ReLU → max-pool 2 → linear 512→64 → ReLU → linear 64→10.
     */
    public static FederatedTask mnist() {
        Batch train = DataLoader.builder(MNIST.train()).batchSize(MNIST.train().size()).build().iterator().next();
        Batch test = DataLoader.builder(MNIST.test()).batchSize(MNIST.test().size()).build().iterator().next();
        return new FederatedTask("mnist", FederatedTask::mnistCnn, normalize(train.input()), train.target().to(DType.INT64),
                normalize(test.input()), test.target().to(DType.INT64));
    }

    public static Module mnistCnn() {
        return new Sequential(new Conv2d(1, 16, 5), new ReLU(), new MaxPool2d(2), new Conv2d(16, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(512, 64), new ReLU(), new Linear(64, 10));
    }

    private static Tensor normalize(Tensor x) {
        return x.sub(MNIST.MEAN).div(MNIST.STD).contiguous();
    }

    /**
     * Four overlapping Gaussian blobs in 8 dimensions (unit variance, centres 2.5 apart along four
     * axes), {@code n} training and {@code n/2} test points, and an MLP 8→16→4: fast enough for
     * unit tests, hard enough that training visibly helps (chance is 25%).
     */
    public static FederatedTask blobs(int n, long seed) {
        var rng = new SplittableRandom(seed);
        Tensor[] train = blobPoints(n, rng), test = blobPoints(n / 2, rng);
        return new FederatedTask("blobs", () -> new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4)), train[0], train[1], test[0], test[1]);
    }

    private static Tensor[] blobPoints(int n, SplittableRandom rng) {
        float[] x = new float[n * 8];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(4);
            y[i] = c;
            for (int j = 0; j < 8; j++) {
                double u1 = rng.nextDouble(), u2 = rng.nextDouble();
                x[i * 8 + j] = (float) ((j == c ? 2.5 : 0) + Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2));
            }
        }
        return new Tensor[] {Tensor.of(x, n, 8), Tensor.of(y, n)};
    }

    public int[] labels() {
        long[] l = trainLabels.to(DType.INT64).contiguous().toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    /**
     * The client shards: {@code iid}, {@code dirichlet:ALPHA} (e.g. dirichlet:0.5) or
     * {@code shards:K} (K label-sorted shards per client, McMahan et al.).
     */
    public List<int[]> split(String spec, int clients, long seed) {
        String s = spec.toLowerCase(Locale.ROOT);
        try {
            if (s.equals("iid")) return Partitions.iid(labels().length, clients, seed);
            if (s.startsWith("dirichlet:")) {
                int[] labels = labels();
                int minSize = Math.max(1, Math.min(10, labels.length / clients / 4));
                return Partitions.dirichlet(labels, clients, Double.parseDouble(s.substring(10)), minSize, seed);
            }
            if (s.startsWith("shards:")) return Partitions.shards(labels(), clients, Integer.parseInt(s.substring(7)), seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("split '" + spec + "': bad number (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("split '" + spec + "' unknown; use iid, dirichlet:ALPHA or shards:K");
    }

    public ClientData clientData(int[] indices) {
        return ClientData.select(trainInputs, trainLabels, indices);
    }

    public List<ClientData> clientData(List<int[]> parts) {
        List<ClientData> out = new ArrayList<>(parts.size());
        for (int[] p : parts) out.add(clientData(p));
        return out;
    }

    /** Test accuracy of {@code model}, in batches of 2,000 to bound memory. */
    public double testAccuracy(Module model) {
        model.eval();
        int n = testInputs.shape()[0];
        double correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (int start = 0; start < n; start += 2000) {
                int len = Math.min(2000, n - start);
                correct += len * Accuracy.of(model, testInputs.narrow(0, start, len), testLabels.narrow(0, start, len));
            }
        }
        model.train();
        return correct / n;
    }
}

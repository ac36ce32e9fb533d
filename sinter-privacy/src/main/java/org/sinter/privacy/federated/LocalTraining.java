package org.sinter.privacy.federated;

import java.util.List;
import java.util.SplittableRandom;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * What a client does with the global model in a round: {@code epochs} passes of minibatch SGD
 * over its own data (shuffled by a seed of its own, the round and its id), minimising the
 * cross-entropy plus, for FedProx (Li et al. 2020), the proximal term {@code (mu/2)·‖w − w_global‖²}
 * (mu = 0 is FedAvg). Returns the update {@code w_local − w_global}, optionally clipped to L2 norm
 * {@code clipNorm} (for DP on the aggregate).
 */
public record LocalTraining(int epochs, int batchSize, double lr, double momentum, double mu, double clipNorm) {
    public LocalTraining {
        if (epochs < 1 || batchSize < 1) throw new IllegalArgumentException("LocalTraining: epochs and batchSize must be >= 1, got " + epochs + ", " + batchSize);
        if (!(lr > 0) || momentum < 0 || momentum >= 1 || mu < 0 || clipNorm < 0) {
            throw new IllegalArgumentException("LocalTraining: need lr > 0, 0 <= momentum < 1, mu >= 0, clipNorm >= 0; got lr " + lr + ", momentum " + momentum + ", mu " + mu + ", clipNorm " + clipNorm);
        }
    }

    public static LocalTraining fedAvg(int epochs, int batchSize, double lr) {
        return new LocalTraining(epochs, batchSize, lr, 0, 0, 0);
    }

    public LocalTraining withMu(double newMu) {
        return new LocalTraining(epochs, batchSize, lr, momentum, newMu, clipNorm);
    }

    public LocalTraining withMomentum(double m) {
        return new LocalTraining(epochs, batchSize, lr, m, mu, clipNorm);
    }

    public LocalTraining withClipNorm(double c) {
        return new LocalTraining(epochs, batchSize, lr, momentum, mu, c);
    }

    /** Trains {@code model} (whose parameters are overwritten with {@code global}) and returns the update. */
    public float[] run(Module model, float[] global, ClientData data, long seed) {
        ParameterVector.set(model, global);
        model.train();
        List<Tensor> params = model.parameters();
        List<Tensor> anchors = mu > 0 ? snapshot(params) : List.of();
        var opt = new SGD(params, SGD.options().lr(lr).momentum(momentum));
        var rng = new SplittableRandom(seed);
        int n = data.size();
        for (int e = 0; e < epochs; e++) {
            int[] perm = permutation(n, rng);
            for (int start = 0; start < n; start += batchSize) {
                int len = Math.min(batchSize, n - start);
                long[] idx = new long[len];
                for (int i = 0; i < len; i++) idx[i] = perm[start + i];
                Tensor index = Tensor.of(idx, len);
                opt.zeroGrad();
                F.crossEntropy(model.forward(data.inputs().indexSelect(0, index)), data.labels().indexSelect(0, index)).backward();
                if (mu > 0) {
                    try (var _ = Sinter.noGrad()) {
                        for (int i = 0; i < params.size(); i++) params.get(i).grad().add_(params.get(i).sub(anchors.get(i)), mu);
                    }
                }
                opt.step();
            }
        }
        float[] local = ParameterVector.get(model);
        float[] delta = new float[local.length];
        double sq = 0;
        for (int i = 0; i < delta.length; i++) {
            delta[i] = local[i] - global[i];
            sq += (double) delta[i] * delta[i];
        }
        if (clipNorm > 0) {
            double norm = Math.sqrt(sq);
            if (norm > clipNorm) {
                float f = (float) (clipNorm / norm);
                for (int i = 0; i < delta.length; i++) delta[i] *= f;
            }
        }
        return delta;
    }

    private static List<Tensor> snapshot(List<Tensor> params) {
        try (var _ = Sinter.noGrad()) {
            return params.stream().map(p -> p.detach().clone()).toList();
        }
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

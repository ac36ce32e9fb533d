package org.sinter.rl.actorcritic;

/**
 * Running mean and variance of vectors, merged batch by batch with Chan et al.'s parallel formula,
 * as Gymnasium's {@code RunningMeanStd} (count starting at 1e-4, mean 0, variance 1; the batch
 * variance is the population variance). Observation and reward normalization keep one each.
 */
public final class RunningMeanStd {
    private final double[] mean, var;
    private double count = 1e-4;

    public RunningMeanStd(int size) {
        mean = new double[size];
        var = new double[size];
        java.util.Arrays.fill(var, 1.0);
    }

    /** Merges a batch of rows, each of this statistic's size. */
    public void update(double[][] batch) {
        int n = batch.length, d = mean.length;
        if (n == 0) return;
        double[] bMean = new double[d], bVar = new double[d];
        for (double[] row : batch) {
            if (row.length != d) throw new IllegalArgumentException("RunningMeanStd: a row of size " + row.length + " for statistics of size " + d);
            for (int j = 0; j < d; j++) bMean[j] += row[j];
        }
        for (int j = 0; j < d; j++) bMean[j] /= n;
        for (double[] row : batch) for (int j = 0; j < d; j++) bVar[j] += (row[j] - bMean[j]) * (row[j] - bMean[j]);
        for (int j = 0; j < d; j++) bVar[j] /= n;
        double total = count + n;
        for (int j = 0; j < d; j++) {
            double delta = bMean[j] - mean[j];
            double m2 = var[j] * count + bVar[j] * n + delta * delta * count * n / total;
            mean[j] += delta * n / total;
            var[j] = m2 / total;
        }
        count = total;
    }

    /** clip((x − μ)/√(σ² + ε), ±clip), into a new array. */
    public double[] normalize(double[] x, double epsilon, double clip) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) out[j] = Math.max(-clip, Math.min(clip, (x[j] - mean[j]) / Math.sqrt(var[j] + epsilon)));
        return out;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] var() {
        return var.clone();
    }

    public double count() {
        return count;
    }

    /** Restores saved statistics (a resumed run). */
    public void set(double[] mean, double[] var, double count) {
        if (mean.length != this.mean.length || var.length != this.var.length) {
            throw new IllegalArgumentException("RunningMeanStd: saved statistics of size " + mean.length + " for size " + this.mean.length);
        }
        System.arraycopy(mean, 0, this.mean, 0, mean.length);
        System.arraycopy(var, 0, this.var, 0, var.length);
        this.count = count;
    }
}

package org.sinter.automl.tuner;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The random forest SMAC models losses with (Hutter, Hoos, Leyton-Brown 2011; SMAC3's defaults): {@code trees}
 * regression trees, each grown on a bootstrap sample, splitting a node on the feature and threshold that most
 * reduce the squared error (over a random {@code featureRatio} of the features), down to {@code minSamplesLeaf}.
 * As in SMAC's pyrfr, the threshold is drawn uniformly between the two neighbouring data values rather than at
 * their midpoint, which smooths the forest's prediction between observations. A prediction is the mean of the
 * trees' leaf means; its variance is the law of total variance over trees (mean of leaf variance + leaf mean², minus
 * the squared mean), so it is large where the trees disagree or the leaves are mixed.
 */
final class RegressionForest {
    private final int trees;
    private final int minSamplesSplit;
    private final int minSamplesLeaf;
    private final double featureRatio;
    private Tree[] forest = new Tree[0];

    RegressionForest(int trees, int minSamplesSplit, int minSamplesLeaf, double featureRatio) {
        if (trees < 1 || minSamplesSplit < 2 || minSamplesLeaf < 1 || !(featureRatio > 0 && featureRatio <= 1))
            throw new IllegalArgumentException("random forest: needs trees >= 1, minSamplesSplit >= 2, minSamplesLeaf >= 1, 0 < featureRatio <= 1");
        this.trees = trees;
        this.minSamplesSplit = minSamplesSplit;
        this.minSamplesLeaf = minSamplesLeaf;
        this.featureRatio = featureRatio;
    }

    void fit(double[][] x, double[] y, RandomGenerator rng) {
        if (x.length == 0 || x.length != y.length) throw new IllegalArgumentException("random forest: needs as many targets as points, and some");
        forest = new Tree[trees];
        for (int t = 0; t < trees; t++) {
            int[] sample = new int[x.length];
            for (int i = 0; i < sample.length; i++) sample[i] = rng.nextInt(x.length);
            Tree tree = new Tree();
            tree.grow(x, y, sample, rng);
            forest[t] = tree;
        }
    }

    /** {mean, variance} of the prediction at {@code point}. */
    double[] predict(double[] point) {
        if (forest.length == 0) throw new IllegalStateException("random forest: predict before fit");
        double mean = 0, second = 0;
        for (Tree tree : forest) {
            int leaf = tree.leaf(point);
            double m = tree.mean[leaf];
            mean += m;
            second += tree.variance[leaf] + m * m;
        }
        mean /= forest.length;
        return new double[] {mean, Math.max(second / forest.length - mean * mean, 0)};
    }

    /** One tree in flat arrays: node i splits on feature[i] at threshold[i] (left: x <= threshold), or is a leaf (feature -1). */
    private final class Tree {
        int[] feature = new int[16], left = new int[16], right = new int[16];
        double[] threshold = new double[16], mean = new double[16], variance = new double[16];
        int nodes;

        void grow(double[][] x, double[] y, int[] sample, RandomGenerator rng) {
            build(x, y, sample, 0, sample.length, rng);
        }

        private int build(double[][] x, double[] y, int[] idx, int from, int to, RandomGenerator rng) {
            int node = newNode();
            int n = to - from;
            double sum = 0, sumSq = 0;
            for (int i = from; i < to; i++) {
                sum += y[idx[i]];
                sumSq += y[idx[i]] * y[idx[i]];
            }
            mean[node] = sum / n;
            variance[node] = Math.max(sumSq / n - mean[node] * mean[node], 0);
            feature[node] = -1;
            if (n < minSamplesSplit || variance[node] <= 1e-12 * (1 + mean[node] * mean[node])) return node;

            int d = x[0].length, tried = Math.max(1, (int) Math.round(featureRatio * d));
            int[] features = new int[d];
            for (int f = 0; f < d; f++) features[f] = f;
            for (int f = 0; f < tried; f++) { // a random subset: partial Fisher-Yates
                int j = f + rng.nextInt(d - f);
                int tmp = features[f]; features[f] = features[j]; features[j] = tmp;
            }
            double bestError = n * variance[node] * (1 - 1e-12);
            int bestFeature = -1, bestRank = -1;
            Integer[] order = new Integer[n];
            int[] bestOrder = null;
            for (int k = 0; k < tried; k++) {
                int f = features[k];
                for (int i = 0; i < n; i++) order[i] = idx[from + i];
                Arrays.sort(order, (a, b) -> Double.compare(x[a][f], x[b][f]));
                double leftSum = 0, leftSq = 0;
                for (int i = 0; i < n - 1; i++) {
                    double v = y[order[i]];
                    leftSum += v;
                    leftSq += v * v;
                    int nl = i + 1, nr = n - nl;
                    if (nl < minSamplesLeaf || nr < minSamplesLeaf || x[order[i]][f] == x[order[i + 1]][f]) continue;
                    double rightSum = sum - leftSum, rightSq = sumSq - leftSq;
                    double error = (leftSq - leftSum * leftSum / nl) + (rightSq - rightSum * rightSum / nr);
                    if (error < bestError) {
                        bestError = error;
                        bestFeature = f;
                        bestRank = i;
                        bestOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
                    }
                }
            }
            if (bestFeature < 0) return node;
            System.arraycopy(bestOrder, 0, idx, from, n);
            double lo = x[idx[from + bestRank]][bestFeature], hi = x[idx[from + bestRank + 1]][bestFeature];
            double cut = lo + (hi - lo) * rng.nextDouble();
            if (!(cut < hi)) cut = lo; // keep the upper value on the right
            feature[node] = bestFeature;
            threshold[node] = cut;
            int l = build(x, y, idx, from, from + bestRank + 1, rng);
            int r = build(x, y, idx, from + bestRank + 1, to, rng);
            left[node] = l;
            right[node] = r;
            return node;
        }

        private int newNode() {
            if (nodes == feature.length) {
                int size = nodes * 2;
                feature = Arrays.copyOf(feature, size);
                left = Arrays.copyOf(left, size);
                right = Arrays.copyOf(right, size);
                threshold = Arrays.copyOf(threshold, size);
                mean = Arrays.copyOf(mean, size);
                variance = Arrays.copyOf(variance, size);
            }
            return nodes++;
        }

        int leaf(double[] point) {
            int node = 0;
            while (feature[node] >= 0) node = point[feature[node]] <= threshold[node] ? left[node] : right[node];
            return node;
        }
    }
}

package org.sinter.learned.index.rmi;

/**
 * The knobs of a two-stage recursive model index.
 *
 * @param root      the first-stage model type
 * @param leaves    number of second-stage (linear) models
 * @param lastMile  how the final position is found around the prediction
 * @param nnHidden  hidden units of a {@link RootType#NEURAL} root
 * @param nnSteps   Adam steps training a neural root
 */
public record RmiConfig(RootType root, int leaves, LastMile lastMile, int nnHidden, int nnSteps) {
    /** First-stage model types. */
    public enum RootType { LINEAR, CUBIC, NEURAL }

    /** Last-mile searches: bounded binary search within the leaf's error bound, or exponential search from the prediction. */
    public enum LastMile { BINARY, EXPONENTIAL }

    public RmiConfig {
        if (root == null || lastMile == null) throw new IllegalArgumentException("RmiConfig: root and lastMile are required");
        if (leaves < 1) throw new IllegalArgumentException("RmiConfig: leaves must be >= 1, got " + leaves);
        if (root == RootType.NEURAL && (nnHidden < 1 || nnSteps < 0)) {
            throw new IllegalArgumentException("RmiConfig: a neural root needs nnHidden >= 1 and nnSteps >= 0, got " + nnHidden + " and " + nnSteps);
        }
    }

    public static RmiConfig of(RootType root, int leaves) {
        return new RmiConfig(root, leaves, LastMile.BINARY, 16, 200);
    }

    public RmiConfig withLastMile(LastMile m) { return new RmiConfig(root, leaves, m, nnHidden, nnSteps); }
}

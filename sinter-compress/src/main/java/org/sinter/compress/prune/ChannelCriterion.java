package org.sinter.compress.prune;

/** How structured pruning ranks a layer's output channels (or a Linear's output units). */
public enum ChannelCriterion {
    /** The L1 norm of each filter (Li et al., "Pruning Filters for Efficient ConvNets", 2017). */
    L1_NORM,
    /**
     * The magnitude of the following batch norm's scale γ (Liu et al., "Learning Efficient
     * Convolutional Networks through Network Slimming", 2017): train with {@link BnL1Penalty} so
     * that unimportant channels' γ go to zero first.
     */
    BN_SCALE
}

package org.sinter.cluster.placement;

/**
 * Which of the places that hold a job a strategy takes, when it must look at every node: nodes
 * whose CPUs and memory are limited, or a job that uses a share of one GPU (see {@link Candidates}).
 * Ties go to the lowest-numbered node, then GPU.
 */
public enum Preference {
    /** The first node (and GPU) that holds it. */
    FIRST_FIT,
    /** The fullest node that holds it (fewest free GPUs; for a share, fewest free milli-GPUs), on it the first GPU that holds a share. */
    BEST_FIT_NODE,
    /** The emptiest node; on it the emptiest GPU for a share. */
    WORST_FIT_NODE,
    /** For a share: the fullest GPU that holds it, anywhere (GPU packing); whole GPUs as {@link #BEST_FIT_NODE}. */
    BEST_FIT_GPU,
    /** Uniformly among the GPUs (or nodes) that hold it. */
    RANDOM
}

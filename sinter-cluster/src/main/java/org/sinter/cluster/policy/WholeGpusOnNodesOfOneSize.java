package org.sinter.cluster.policy;

/**
 * A policy that builds whole-GPU allocations on nodes of one size itself (HiveD's buddy cells,
 * Gandiva's migrations): it schedules neither shares of a GPU nor nodes of different sizes, and the
 * simulator refuses such runs with a message instead of letting it misplace them.
 */
interface WholeGpusOnNodesOfOneSize extends Policy {
    @Override
    default boolean schedulesGpuShares() {
        return false;
    }

    @Override
    default boolean schedulesNodesOfDifferentSizes() {
        return false;
    }
}

package org.sinter.cluster;

/**
 * Where a running job's GPUs are: {@code gpus[i]} whole GPUs on node {@code nodes[i]}; or, for a job
 * that uses a fraction of one GPU, {@code milli} milli-GPUs of GPU {@code sharedGpu} of its one node
 * ({@code gpus} is then {1}: the one GPU it touches).
 *
 * @param sharedGpu index of the shared GPU within its node, -1 for whole GPUs
 * @param milli     milli-GPUs held on the shared GPU ({@link Job#WHOLE_GPU} for whole GPUs)
 */
public record Allocation(int[] nodes, int[] gpus, int sharedGpu, int milli) {
    public Allocation {
        if (nodes.length != gpus.length || nodes.length == 0) throw new IllegalArgumentException("an allocation needs one GPU count per node");
        if (sharedGpu >= 0 && (nodes.length != 1 || gpus[0] != 1 || milli < 1 || milli >= Job.WHOLE_GPU)) {
            throw new IllegalArgumentException("a share of a GPU is 1..999 milli-GPUs of one GPU on one node, got " + milli + " on " + nodes.length + " node(s)");
        }
        if (sharedGpu < 0 && milli != Job.WHOLE_GPU) throw new IllegalArgumentException("whole GPUs hold " + Job.WHOLE_GPU + " milli-GPUs each, got " + milli);
    }

    /** Whole GPUs. */
    public Allocation(int[] nodes, int[] gpus) {
        this(nodes, gpus, -1, Job.WHOLE_GPU);
    }

    public int total() {
        int t = 0;
        for (int g : gpus) t += g;
        return t;
    }

    /** Whether it is a share of one GPU. */
    public boolean shared() {
        return sharedGpu >= 0;
    }

    public static Allocation onOneNode(int node, int gpus) {
        return new Allocation(new int[] {node}, new int[] {gpus});
    }

    /** {@code milli} milli-GPUs of GPU {@code gpu} on {@code node}. */
    public static Allocation share(int node, int gpu, int milli) {
        return new Allocation(new int[] {node}, new int[] {1}, gpu, milli);
    }
}

package org.sinter.distributed.examples;

import org.sinter.Tensor;
import org.sinter.distributed.Distributed;
import org.sinter.distributed.ProcessGroup;

/**
 * All-reduces a small tensor in a loop, printing {@code step k} every 10 steps: a job to kill
 * ranks of (the fault-detection test). Usage: {@code AllReduceLoop <steps>}.
 */
public final class AllReduceLoop {
    private AllReduceLoop() {}

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        try (ProcessGroup pg = Distributed.initProcessGroup()) {
            Tensor t = Tensor.ones(4096);
            for (int k = 0; k < steps; k++) {
                pg.allReduce(t);
                t.fill_(1);
                if (k % 10 == 0) System.out.println("rank " + pg.rank() + " step " + k);
            }
        }
    }
}

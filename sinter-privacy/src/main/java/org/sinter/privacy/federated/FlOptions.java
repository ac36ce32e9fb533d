package org.sinter.privacy.federated;

import java.time.Duration;

/**
 * Everything both sides of a federated run agree on, so that a server and its client processes
 * started with the same options derive the same task, split and local training.
 *
 * @param task         {@code mnist} or {@code blobs}
 * @param split        {@code iid}, {@code dirichlet:ALPHA} or {@code shards:K}
 * @param evalEvery    evaluate the global model on the test set every this many rounds (and after the last)
 */
public record FlOptions(String task, int clients, int rounds, String split, LocalTraining training, FlConfig server, Faults faults,
                        long seed, int evalEvery) {
    public FlOptions {
        if (clients < 1 || rounds < 1 || evalEvery < 1) throw new IllegalArgumentException("FlOptions: clients, rounds and evalEvery must be >= 1");
        if (server.clientsPerRound() > clients) {
            throw new IllegalArgumentException("FlOptions: " + server.clientsPerRound() + " clients per round of only " + clients + " clients");
        }
    }

    /** The settings of the MNIST run in docs/privacy.md: E = 5 local epochs, B = 32, lr 0.05, momentum 0.5. */
    public static FlOptions mnistDefaults(int clients, int rounds, double alpha) {
        return new FlOptions("mnist", clients, rounds, "dirichlet:" + alpha, LocalTraining.fedAvg(5, 32, 0.05).withMomentum(0.5),
                FlConfig.of(10).withTimeout(Duration.ofSeconds(300)), Faults.NONE, 0, 1);
    }
}

package org.sinter.rl.apex;

import java.util.random.RandomGenerator;
import org.sinter.rl.dqn.Replay;

/**
 * What Ape-X's learner and actors need of the replay: actors add scored chunks, the learner draws
 * prioritized batches and writes back new priorities. {@link ReplayServer} is the sharded replay
 * in this process; {@link RemoteReplay} reaches one in another process over a loopback socket
 * (served by {@link ReplaySocketServer}), with the same draws for the same uniforms.
 */
public interface ApexReplay extends AutoCloseable {
    /** Stores an actor's chunk with its TD errors as priorities; returns the shard it went to. */
    int add(Replay.Batch rows, double[] tdErrors, long version);

    /** The stratified draw for given uniforms in [0, 1), one per row, with importance weights for {@code beta}. */
    ReplayServer.Sample sample(double[] uniforms, double beta);

    /** A batch drawn with uniforms from {@code random} (drawn here, so a remote replay draws what a local one does). */
    default ReplayServer.Sample sample(int batchSize, RandomGenerator random, double beta) {
        double[] u = new double[batchSize];
        for (int j = 0; j < batchSize; j++) u[j] = random.nextDouble();
        return sample(u, beta);
    }

    /** New priorities from the TD errors of the rows of {@code sample}. */
    void updatePriorities(ReplayServer.Sample sample, double[] tdErrors);

    /** Rows stored over all shards. */
    int size();

    int numShards();

    /** Releases what the replay holds (a connection, a process); an in-process replay holds nothing. */
    @Override
    default void close() {}
}

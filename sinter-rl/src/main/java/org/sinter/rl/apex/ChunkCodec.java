package org.sinter.rl.apex;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.remote.Codec;
import org.sinter.rl.remote.Wire;

/** An Ape-X actor's chunk on the wire: its rows (every array of the batch), their TD errors, the policy version, steps and finished returns. */
final class ChunkCodec implements Codec<ApexActor.Chunk> {
    static final ChunkCodec INSTANCE = new ChunkCodec();

    @Override
    public void write(DataOutputStream out, ApexActor.Chunk c) throws IOException {
        out.writeInt(c.actor());
        writeBatch(out, c.rows());
        Wire.writeDoubles(out, c.tdErrors());
        out.writeLong(c.version());
        out.writeInt(c.steps());
        Wire.writeDoubleList(out, c.finishedReturns());
    }

    @Override
    public ApexActor.Chunk read(DataInputStream in) throws IOException {
        int actor = in.readInt();
        Replay.Batch rows = readBatch(in, "chunk");
        double[] td = Wire.readDoubles(in, "chunk.tdErrors");
        if (td.length != rows.size()) {
            throw new IOException("rollout protocol: an Ape-X chunk of " + rows.size() + " rows has " + td.length + " TD errors");
        }
        return new ApexActor.Chunk(actor, rows, td, in.readLong(), in.readInt(), Wire.readDoubleList(in, "chunk.finishedReturns"));
    }

    /** Every array of a replay batch, after its row count. */
    static void writeBatch(DataOutputStream out, Replay.Batch b) throws IOException {
        out.writeInt(b.size());
        Wire.writeFloats(out, b.observations());
        Wire.writeLongs(out, b.actions());
        Wire.writeFloats(out, b.rewards());
        Wire.writeFloats(out, b.nextObservations());
        Wire.writeFloats(out, b.terminated());
        Wire.writeFloats(out, b.horizons());
        Wire.writeFloats(out, b.weights());
        Wire.writeInts(out, b.indices());
    }

    /** Reads {@link #writeBatch}'s form; {@code what} names the batch in errors. Per-row arrays must have one entry per row. */
    static Replay.Batch readBatch(DataInputStream in, String what) throws IOException {
        int size = in.readInt();
        Replay.Batch b = new Replay.Batch(Wire.readFloats(in, what + ".observations"), Wire.readLongs(in, what + ".actions"),
                Wire.readFloats(in, what + ".rewards"), Wire.readFloats(in, what + ".nextObservations"), Wire.readFloats(in, what + ".terminated"),
                Wire.readFloats(in, what + ".horizons"), Wire.readFloats(in, what + ".weights"), Wire.readInts(in, what + ".indices"), size);
        if (size < 0 || b.actions().length != size || b.rewards().length != size || b.terminated().length != size || b.horizons().length != size
                || b.observations().length != b.nextObservations().length || (size > 0 && b.observations().length % size != 0)) {
            throw new IOException("replay protocol: " + what + " of " + size + " rows has " + b.actions().length + " actions, " + b.rewards().length + " rewards, "
                    + b.observations().length + " and " + b.nextObservations().length + " observation values");
        }
        return b;
    }
}

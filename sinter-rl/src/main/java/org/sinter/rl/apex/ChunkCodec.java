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
        Replay.Batch b = c.rows();
        out.writeInt(b.size());
        Wire.writeFloats(out, b.observations());
        Wire.writeLongs(out, b.actions());
        Wire.writeFloats(out, b.rewards());
        Wire.writeFloats(out, b.nextObservations());
        Wire.writeFloats(out, b.terminated());
        Wire.writeFloats(out, b.horizons());
        Wire.writeFloats(out, b.weights());
        Wire.writeInts(out, b.indices());
        Wire.writeDoubles(out, c.tdErrors());
        out.writeLong(c.version());
        out.writeInt(c.steps());
        Wire.writeDoubleList(out, c.finishedReturns());
    }

    @Override
    public ApexActor.Chunk read(DataInputStream in) throws IOException {
        int actor = in.readInt(), size = in.readInt();
        Replay.Batch rows = new Replay.Batch(Wire.readFloats(in, "chunk.observations"), Wire.readLongs(in, "chunk.actions"),
                Wire.readFloats(in, "chunk.rewards"), Wire.readFloats(in, "chunk.nextObservations"), Wire.readFloats(in, "chunk.terminated"),
                Wire.readFloats(in, "chunk.horizons"), Wire.readFloats(in, "chunk.weights"), Wire.readInts(in, "chunk.indices"), size);
        double[] td = Wire.readDoubles(in, "chunk.tdErrors");
        if (td.length != size || rows.actions().length != size) {
            throw new IOException("rollout protocol: an Ape-X chunk of " + size + " rows has " + rows.actions().length + " actions and " + td.length + " TD errors");
        }
        return new ApexActor.Chunk(actor, rows, td, in.readLong(), in.readInt(), Wire.readDoubleList(in, "chunk.finishedReturns"));
    }
}

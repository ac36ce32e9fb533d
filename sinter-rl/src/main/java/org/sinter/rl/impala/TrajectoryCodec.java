package org.sinter.rl.impala;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.sinter.rl.remote.Codec;
import org.sinter.rl.remote.Wire;

/** An IMPALA trajectory on the wire, every field of {@link Trajectory} in order. */
final class TrajectoryCodec implements Codec<Trajectory> {
    static final TrajectoryCodec INSTANCE = new TrajectoryCodec();

    @Override
    public void write(DataOutputStream out, Trajectory t) throws IOException {
        Wire.writeFloats(out, t.observations());
        Wire.writeLongs(out, t.actions());
        Wire.writeDoubles(out, t.behaviourLogProbs());
        Wire.writeDoubles(out, t.rewards());
        Wire.writeBooleans(out, t.dones());
        out.writeLong(t.policyVersion());
        Wire.writeDoubleList(out, t.finishedReturns());
        out.writeInt(t.actor());
    }

    @Override
    public Trajectory read(DataInputStream in) throws IOException {
        Trajectory t = new Trajectory(Wire.readFloats(in, "trajectory.observations"), Wire.readLongs(in, "trajectory.actions"),
                Wire.readDoubles(in, "trajectory.behaviourLogProbs"), Wire.readDoubles(in, "trajectory.rewards"), Wire.readBooleans(in, "trajectory.dones"),
                in.readLong(), Wire.readDoubleList(in, "trajectory.finishedReturns"), in.readInt());
        int steps = t.actions().length;
        if (t.behaviourLogProbs().length != steps || t.rewards().length != steps || t.dones().length != steps) {
            throw new IOException("rollout protocol: a trajectory of " + steps + " actions has " + t.behaviourLogProbs().length + " log-probabilities, "
                    + t.rewards().length + " rewards and " + t.dones().length + " done flags");
        }
        return t;
    }
}

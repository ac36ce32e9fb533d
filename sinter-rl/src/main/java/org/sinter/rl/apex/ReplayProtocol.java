package org.sinter.rl.apex;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.sinter.rl.remote.Wire;

/**
 * The replay server's protocol, request and reply in {@link org.sinter.rl.remote.Frames frames}
 * over one loopback connection per client thread:
 * <ul>
 * <li>{@link #HELLO} ({@link #MAGIC}, the run's token) → {@link #READY} (the number of shards); any other first frame, or a wrong token, is refused and the connection closed;</li>
 * <li>{@link #ADD} (rows, TD errors, policy version) → {@link #ADDED} (the shard);</li>
 * <li>{@link #SAMPLE} (one uniform per row, β) → {@link #SAMPLED} (rows with importance weights, shards, slots, versions);</li>
 * <li>{@link #UPDATE} (shards, slots, TD errors) → {@link #UPDATED};</li>
 * <li>{@link #SIZE} → {@link #SIZED} (rows stored).</li>
 * </ul>
 * A request the replay refuses is answered {@link #ERROR} with the reason and the connection stays
 * open; a frame that cannot be read is answered {@link #ERROR} and the connection closed.
 */
final class ReplayProtocol {
    static final String NAME = "replay protocol";
    static final int MAGIC = 0x534E5250; // "SNRP"
    static final int HELLO = 1, READY = 2, ADD = 3, ADDED = 4, SAMPLE = 5, SAMPLED = 6, UPDATE = 7, UPDATED = 8, SIZE = 9, SIZED = 10, ERROR = 127;

    private ReplayProtocol() {}

    static String kindName(int kind) {
        return switch (kind) {
            case HELLO -> "HELLO";
            case READY -> "READY";
            case ADD -> "ADD";
            case ADDED -> "ADDED";
            case SAMPLE -> "SAMPLE";
            case SAMPLED -> "SAMPLED";
            case UPDATE -> "UPDATE";
            case UPDATED -> "UPDATED";
            case SIZE -> "SIZE";
            case SIZED -> "SIZED";
            case ERROR -> "ERROR";
            default -> "unknown kind " + kind;
        };
    }

    static void writeSample(DataOutputStream out, ReplayServer.Sample s) throws IOException {
        ChunkCodec.writeBatch(out, s.batch());
        Wire.writeInts(out, s.shards());
        Wire.writeInts(out, s.slots());
        Wire.writeLongs(out, s.versions());
    }

    static ReplayServer.Sample readSample(DataInputStream in) throws IOException {
        var batch = ChunkCodec.readBatch(in, "sample");
        int[] shards = Wire.readInts(in, "sample.shards"), slots = Wire.readInts(in, "sample.slots");
        long[] versions = Wire.readLongs(in, "sample.versions");
        if (shards.length != batch.size() || slots.length != batch.size() || versions.length != batch.size()) {
            throw new IOException(NAME + ": a sample of " + batch.size() + " rows has " + shards.length + " shards, " + slots.length + " slots and " + versions.length + " versions");
        }
        return new ReplayServer.Sample(batch, shards, slots, versions);
    }

    /** An error message as one UTF string, cut at 20,000 characters (under writeUTF's 65,535 bytes whatever the text). */
    static void writeError(DataOutputStream out, String message) throws IOException {
        String m = String.valueOf(message);
        out.writeUTF(m.length() > 20_000 ? m.substring(0, 20_000) + " …" : m);
    }
}

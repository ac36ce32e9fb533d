package org.sinter.privacy.federated;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.privacy.secagg.KeyShare;
import org.sinter.privacy.secagg.PublicKeys;

/**
 * Everything the server and a client say to each other; {@link WireFormat} gives each its bytes.
 * The server sends requests, a client answers each with one reply (or {@link Silence}).
 */
public sealed interface Message {
    /** Client → server, first frame on a TCP connection: who it is and how many examples it holds. */
    record Hello(int clientId, int examples) implements Message {}

    /** The server's instructions for one round, sent with the global parameters. */
    record RoundPlan(long round, boolean secure, int threshold, double scale, int maxSummands, double weightReference, double clipNorm) {}

    /** Train on the global parameters; plain rounds answer {@link Update}, secure rounds {@link Keys}. */
    record TrainRequest(RoundPlan plan, float[] global) implements Message {}

    /** A plain round's reply: the client's weighted update in the fixed-point ring (see {@link FixedPoint}). */
    record Update(long round, int[] encoded) implements Message {}

    /** Secure round, step 0 reply: the client's public keys. */
    record Keys(long round, PublicKeys keys) implements Message {}

    /** Secure round, step 1: every advertising client's keys. */
    record ShareKeysRequest(long round, Map<Integer, PublicKeys> advertised) implements Message {}

    /** Step 1 reply: encrypted shares, recipient → ciphertext. */
    record Shares(long round, Map<Integer, byte[]> encrypted) implements Message {}

    /** Step 2: the encrypted shares addressed to this client, sender → ciphertext. */
    record MaskRequest(long round, Map<Integer, byte[]> incoming) implements Message {}

    /** Step 2 reply: the masked input. */
    record MaskedInput(long round, int[] masked) implements Message {}

    /** Step 3: the clients whose masked input arrived. */
    record UnmaskRequest(long round, Set<Integer> survivors) implements Message {}

    /** Step 3 reply. */
    record UnmaskShares(long round, List<KeyShare> shares) implements Message {}

    /** A client that (in simulation) drops out of this step says nothing; the server treats it as a timeout. */
    record Silence() implements Message {}

    /** A client could not do what it was asked; the server counts it out of the round and logs the reason. */
    record Failure(String reason) implements Message {}

    /** Server → client: the run is over, exit. */
    record Shutdown() implements Message {}
}

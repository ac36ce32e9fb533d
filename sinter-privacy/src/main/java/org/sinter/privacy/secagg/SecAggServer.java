package org.sinter.privacy.secagg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's side of one round of secure aggregation (Bonawitz et al. 2017). It only ever
 * receives public keys, ciphertexts it cannot open (it has no client's private key), masked
 * vectors and, at the end, the shares needed to remove the masks from the <em>sum</em>: self-seed
 * shares of clients whose input arrived and mask-key shares of those whose input did not. Its
 * output is {@code Σ_{u ∈ U3} x_u} mod 2^32.
 */
public final class SecAggServer {
    private final long round;
    private final int threshold;
    private final int length;
    private Map<Integer, PublicKeys> u1;
    private Map<Integer, Map<Integer, byte[]>> shares;   // sender → recipient → ciphertext
    private final Map<Integer, int[]> masked = new TreeMap<>();

    /** {@code length}: the number of ring elements in each input. */
    public SecAggServer(long round, int threshold, int length) {
        if (threshold < 2) throw new IllegalArgumentException("SecAggServer: threshold must be >= 2, got " + threshold);
        this.round = round;
        this.threshold = threshold;
        this.length = length;
    }

    /** Step 0: the keys that arrived (U1); returns the list broadcast to U1. */
    public Map<Integer, PublicKeys> collectKeys(Map<Integer, PublicKeys> keys) {
        if (keys.size() < threshold) throw new SecAggException("round " + round + ": " + keys.size() + " clients advertised keys, need " + threshold);
        u1 = new TreeMap<>(keys);
        return u1;
    }

    /** Step 1: the encrypted shares that arrived (sender → recipient → ciphertext), U2 = the senders. */
    public void collectShares(Map<Integer, Map<Integer, byte[]>> fromSenders) {
        if (u1 == null) throw new IllegalStateException("SecAggServer: collectShares before collectKeys");
        if (fromSenders.size() < threshold) throw new SecAggException("round " + round + ": " + fromSenders.size() + " clients shared keys, need " + threshold);
        for (var e : fromSenders.entrySet()) {
            if (!u1.containsKey(e.getKey())) throw new SecAggException("round " + round + ": shares from client " + e.getKey() + ", which advertised no keys");
            for (int to : e.getValue().keySet()) {
                if (!u1.containsKey(to) || to == e.getKey()) throw new SecAggException("round " + round + ": client " + e.getKey() + " addressed a share to " + to + ", not another advertised client");
            }
        }
        shares = new TreeMap<>(fromSenders);
    }

    /** The clients that shared keys (U2). */
    public Set<Integer> sharers() {
        return new TreeSet<>(shares.keySet());
    }

    /** The ciphertexts addressed to {@code recipient} from the other members of U2 (sender → ciphertext). */
    public Map<Integer, byte[]> sharesFor(int recipient) {
        Map<Integer, byte[]> out = new TreeMap<>();
        for (var e : shares.entrySet()) {
            byte[] ct = e.getValue().get(recipient);
            if (ct != null) out.put(e.getKey(), ct);
        }
        return out;
    }

    /** Step 2: one client's masked input. */
    public void collectMaskedInput(int client, int[] y) {
        if (shares == null || !shares.containsKey(client)) throw new SecAggException("round " + round + ": masked input from client " + client + ", which did not share keys");
        if (y.length != length) throw new SecAggException("round " + round + ": masked input from client " + client + " has " + y.length + " elements, expected " + length);
        if (masked.putIfAbsent(client, y.clone()) != null) throw new SecAggException("round " + round + ": second masked input from client " + client);
    }

    /** The clients whose masked inputs arrived (U3); the server fails the round if fewer than the threshold. */
    public Set<Integer> survivors() {
        if (masked.size() < threshold) throw new SecAggException("round " + round + ": " + masked.size() + " masked inputs arrived, need " + threshold);
        return new TreeSet<>(masked.keySet());
    }

    /**
     * Step 3: from the unmasking responses (responder → its shares; at least the threshold of
     * them), reconstruct each survivor's self-seed and each dropped client's mask key, strip the
     * masks, and return the sum of the survivors' inputs.
     */
    public int[] unmask(Map<Integer, List<KeyShare>> responses) {
        Set<Integer> u3 = survivors();
        if (responses.size() < threshold) throw new SecAggException("round " + round + ": " + responses.size() + " clients answered the unmasking request, need " + threshold);
        Map<Integer, Map<Integer, byte[]>> seedShares = new HashMap<>(), keyShares = new HashMap<>();
        for (var e : responses.entrySet()) {
            int responder = e.getKey();
            if (!u3.contains(responder)) throw new SecAggException("round " + round + ": unmasking shares from client " + responder + ", not a survivor");
            for (KeyShare s : e.getValue()) {
                boolean survived = u3.contains(s.owner());
                if (s.kind() == KeyShare.Kind.SELF_MASK_SEED && !survived || s.kind() == KeyShare.Kind.MASK_KEY && (survived || !shares.containsKey(s.owner()))) {
                    throw new SecAggException("round " + round + ": client " + responder + " sent a " + s.kind() + " share of client " + s.owner() + ", which the protocol never reveals");
                }
                (s.kind() == KeyShare.Kind.SELF_MASK_SEED ? seedShares : keyShares).computeIfAbsent(s.owner(), k -> new HashMap<>()).put(responder + 1, s.share());
            }
        }
        int[] sum = new int[length];
        for (int u : u3) {
            int[] y = masked.get(u);
            for (int i = 0; i < length; i++) sum[i] += y[i];
        }
        for (int u : u3) {
            byte[] seed = Shamir.combine(need(seedShares, u, "self-mask seed"), threshold, 32);
            MaskPrg.addMask(sum, seed, -1);
        }
        for (int v : shares.keySet()) {
            if (u3.contains(v)) continue;
            // v dropped after sharing keys: the survivors' masks towards v do not cancel; rebuild
            // v's mask key and remove them (u added PRG(s_uv) if u < v, subtracted it otherwise).
            var vKey = X25519.privateFromScalar(Shamir.combine(need(keyShares, v, "mask key"), threshold, 32));
            for (int u : u3) {
                byte[] seed = X25519.agree(vKey, X25519.decodePublic(u1.get(u).maskKey()), "sinter-secagg-mask-v1");
                MaskPrg.addMask(sum, seed, u < v ? -1 : +1);
            }
        }
        return sum;
    }

    private Map<Integer, byte[]> need(Map<Integer, Map<Integer, byte[]>> byOwner, int owner, String what) {
        var s = byOwner.get(owner);
        if (s == null || s.size() < threshold) {
            throw new SecAggException("round " + round + ": " + (s == null ? 0 : s.size()) + " shares of client " + owner + "'s " + what + ", need " + threshold);
        }
        return s;
    }
}

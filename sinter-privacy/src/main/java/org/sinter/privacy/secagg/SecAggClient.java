package org.sinter.privacy.secagg;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One client's side of one round of secure aggregation (Bonawitz et al., CCS 2017, the
 * semi-honest protocol): advertise keys, share keys, send the masked input, help unmask. The
 * client's private input never leaves this object except as {@code x + PRG(b) + Σ ±PRG(s_uv)} mod
 * 2^32. The steps must be called in order, each once.
 *
 * <p>Client ids are ≥ 0; the Shamir share point of client {@code u} is {@code u + 1}.
 */
public final class SecAggClient {
    private enum Step { NEW, ADVERTISED, SHARED, MASKED, DONE }

    private final int id;
    private final long round;
    private final int threshold;
    private final SecureRandom random;
    private Step step = Step.NEW;
    private KeyPair cipherKeys, maskKeys;
    private Map<Integer, PublicKeys> advertised; // U1
    private byte[] selfSeed;
    private Set<Integer> sharers;               // U2
    /** The shares other clients (and this one) gave this client: owner → (mask-key share, self-seed share). */
    private final Map<Integer, byte[][]> held = new HashMap<>();

    public SecAggClient(int id, long round, int threshold, SecureRandom random) {
        if (id < 0) throw new IllegalArgumentException("SecAggClient: id must be >= 0, got " + id);
        if (threshold < 2) throw new IllegalArgumentException("SecAggClient: threshold must be >= 2, got " + threshold);
        this.id = id;
        this.round = round;
        this.threshold = threshold;
        this.random = random;
    }

    /** Step 0: two fresh key pairs, their public halves to the server. */
    public PublicKeys advertiseKeys() {
        expect(Step.NEW, "advertiseKeys");
        cipherKeys = X25519.generate(random);
        maskKeys = X25519.generate(random);
        step = Step.ADVERTISED;
        return new PublicKeys(X25519.encode(cipherKeys.getPublic()), X25519.encode(maskKeys.getPublic()));
    }

    /**
     * Step 1: given every advertising client's keys (U1, this one included), draw the self-mask seed
     * b, Shamir-share b and the mask private key among U1, and return each other client's pair of
     * shares encrypted to it (recipient → ciphertext), for the server to route.
     */
    public Map<Integer, byte[]> shareKeys(Map<Integer, PublicKeys> u1) {
        expect(Step.ADVERTISED, "shareKeys");
        if (!u1.containsKey(id)) throw new IllegalArgumentException("secure aggregation: client " + id + " missing from the key list of round " + round);
        if (u1.size() < threshold) throw new IllegalArgumentException("secure aggregation: " + u1.size() + " clients advertised keys, fewer than the threshold " + threshold);
        var own = u1.get(id);
        if (!java.util.Arrays.equals(own.cipherKey(), X25519.encode(cipherKeys.getPublic())) || !java.util.Arrays.equals(own.maskKey(), X25519.encode(maskKeys.getPublic()))) {
            throw new IllegalArgumentException("secure aggregation: the key list of round " + round + " carries keys for client " + id + " that are not its own");
        }
        advertised = new TreeMap<>(u1);
        selfSeed = new byte[32];
        random.nextBytes(selfSeed);
        int[] xs = advertised.keySet().stream().mapToInt(v -> v + 1).toArray();
        byte[][] keyShares = Shamir.split(X25519.scalar(maskKeys.getPrivate()), threshold, xs, random);
        byte[][] seedShares = Shamir.split(selfSeed, threshold, xs, random);
        Map<Integer, byte[]> out = new TreeMap<>();
        int i = 0;
        for (int v : advertised.keySet()) {
            if (v == id) {
                held.put(id, new byte[][] {keyShares[i], seedShares[i]});
            } else {
                byte[] plain = ByteBuffer.allocate(2 * Shamir.SHARE_BYTES).put(keyShares[i]).put(seedShares[i]).array();
                byte[] key = X25519.agree(cipherKeys.getPrivate(), X25519.decodePublic(advertised.get(v).cipherKey()), "sinter-secagg-enc-v1");
                out.put(v, ShareCipher.encrypt(key, round, id, v, plain, random));
            }
            i++;
        }
        step = Step.SHARED;
        return out;
    }

    /**
     * Step 2: given the encrypted shares addressed to this client (sender → ciphertext; the senders
     * are U2 less this client), mask {@code input} with the self mask and one pairwise mask per other
     * client of U2 (added towards larger ids, subtracted towards smaller), and return it.
     */
    public int[] maskedInput(Map<Integer, byte[]> incoming, int[] input) {
        expect(Step.SHARED, "maskedInput");
        var u2 = new TreeSet<>(incoming.keySet());
        u2.add(id);
        if (u2.size() < threshold) throw new IllegalArgumentException("secure aggregation: only " + u2.size() + " clients shared keys in round " + round + ", threshold " + threshold);
        for (var e : incoming.entrySet()) {
            int v = e.getKey();
            PublicKeys keys = advertised.get(v);
            if (keys == null || v == id) throw new IllegalArgumentException("secure aggregation: shares from client " + v + ", which did not advertise keys in round " + round);
            byte[] key = X25519.agree(cipherKeys.getPrivate(), X25519.decodePublic(keys.cipherKey()), "sinter-secagg-enc-v1");
            byte[] plain = ShareCipher.decrypt(key, round, v, id, e.getValue());
            if (plain.length != 2 * Shamir.SHARE_BYTES) throw new IllegalArgumentException("secure aggregation: share from client " + v + " has " + plain.length + " bytes");
            var buf = ByteBuffer.wrap(plain);
            byte[] k = new byte[Shamir.SHARE_BYTES], s = new byte[Shamir.SHARE_BYTES];
            buf.get(k).get(s);
            held.put(v, new byte[][] {k, s});
        }
        sharers = u2;
        int[] y = input.clone();
        MaskPrg.addMask(y, selfSeed, +1);
        for (int v : u2) {
            if (v == id) continue;
            byte[] seed = X25519.agree(maskKeys.getPrivate(), X25519.decodePublic(advertised.get(v).maskKey()), "sinter-secagg-mask-v1");
            MaskPrg.addMask(y, seed, id < v ? +1 : -1);
        }
        step = Step.MASKED;
        return y;
    }

    /**
     * Step 3: given the clients whose masked inputs the server holds (U3 ⊆ U2, at least the
     * threshold, this client among them), reveal the self-seed shares of U3 and the mask-key shares
     * of U2 \ U3 — never both kinds for one client, which is what keeps every input hidden.
     */
    public List<KeyShare> unmask(Set<Integer> u3) {
        expect(Step.MASKED, "unmask");
        if (!sharers.containsAll(u3)) throw new IllegalArgumentException("secure aggregation: the survivor list of round " + round + " names clients that never shared keys: " + u3);
        if (!u3.contains(id)) throw new IllegalArgumentException("secure aggregation: client " + id + " is not in the survivor list of round " + round);
        if (u3.size() < threshold) throw new IllegalArgumentException("secure aggregation: " + u3.size() + " survivors in round " + round + ", fewer than the threshold " + threshold);
        List<KeyShare> out = new ArrayList<>();
        for (int v : sharers) {
            byte[][] s = held.get(v);
            out.add(u3.contains(v) ? new KeyShare(v, KeyShare.Kind.SELF_MASK_SEED, s[1]) : new KeyShare(v, KeyShare.Kind.MASK_KEY, s[0]));
        }
        step = Step.DONE;
        return out;
    }

    private void expect(Step s, String what) {
        if (step != s) throw new IllegalStateException("secure aggregation: client " + id + " asked to " + what + " in round " + round + " at step " + step);
    }
}

package org.sinter.privacy.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.util.*;
import org.junit.jupiter.api.Test;

class SecAggTest {
    private static final int D = 4096;

    /** Runs one round; {@code dropBeforeMask} never send their masked input, {@code dropBeforeUnmask} send it but not their shares. */
    private static int[] round(int[][] inputs, int threshold, Set<Integer> dropBeforeMask, Set<Integer> dropBeforeUnmask, Map<Integer, int[]> seenByServer) {
        var rnd = new SecureRandom();
        int n = inputs.length;
        var clients = new TreeMap<Integer, SecAggClient>();
        for (int u = 0; u < n; u++) clients.put(u, new SecAggClient(u, 7, threshold, rnd));
        var server = new SecAggServer(7, threshold, D);
        var keys = new TreeMap<Integer, PublicKeys>();
        clients.forEach((u, c) -> keys.put(u, c.advertiseKeys()));
        var u1 = server.collectKeys(keys);
        var shared = new TreeMap<Integer, Map<Integer, byte[]>>();
        clients.forEach((u, c) -> shared.put(u, c.shareKeys(u1)));
        server.collectShares(shared);
        for (var e : clients.entrySet()) {
            if (dropBeforeMask.contains(e.getKey())) continue;
            int[] y = e.getValue().maskedInput(server.sharesFor(e.getKey()), inputs[e.getKey()]);
            seenByServer.put(e.getKey(), y);
            server.collectMaskedInput(e.getKey(), y);
        }
        var u3 = server.survivors();
        var responses = new TreeMap<Integer, List<KeyShare>>();
        for (int u : u3) if (!dropBeforeUnmask.contains(u)) responses.put(u, clients.get(u).unmask(u3));
        return server.unmask(responses);
    }

    private static int[][] inputs(int n, long seed) {
        var r = new Random(seed);
        int[][] x = new int[n][D];
        for (int[] row : x) for (int i = 0; i < D; i++) row[i] = r.nextInt(2001) - 1000;
        return x;
    }

    @Test
    void sumOfAllInputsWhenNobodyDrops() {
        int[][] x = inputs(5, 1);
        int[] sum = round(x, 3, Set.of(), Set.of(), new HashMap<>());
        for (int i = 0; i < D; i++) {
            int expect = 0;
            for (int[] row : x) expect += row[i];
            assertEquals(expect, sum[i], "coordinate " + i);
        }
    }

    @Test
    void droppedClientsMasksAreRemovedAndOnlySurvivorsAreSummed() {
        int[][] x = inputs(10, 2);
        // Two drop after sharing keys (their pairwise masks must be rebuilt from shares),
        // one after sending its masked input (its self-mask seed is rebuilt from the others' shares).
        int[] sum = round(x, 6, Set.of(3, 8), Set.of(5), new HashMap<>());
        for (int i = 0; i < D; i++) {
            int expect = 0;
            for (int u = 0; u < 10; u++) if (u != 3 && u != 8) expect += x[u][i];
            assertEquals(expect, sum[i], "coordinate " + i);
        }
    }

    @Test
    void tooFewSurvivorsFailTheRoundWithAClearError() {
        int[][] x = inputs(5, 3);
        var e = assertThrows(SecAggException.class, () -> round(x, 4, Set.of(0, 1), Set.of(), new HashMap<>()));
        assertTrue(e.getMessage().contains("3 masked inputs arrived, need 4"), e.getMessage());
    }

    @Test
    void maskedInputsLookUniformAndUnrelatedToTheInput() {
        // A very structured input: every coordinate 0 except a ramp. The server's view of it must
        // be indistinguishable from uniform ring elements.
        int[][] x = new int[4][D];
        for (int i = 0; i < D; i++) x[0][i] = i;
        var seen = new HashMap<Integer, int[]>();
        round(x, 3, Set.of(), Set.of(), seen);
        for (var e : seen.entrySet()) {
            int[] y = e.getValue();
            long[] buckets = new long[64]; // top 6 bits
            for (int v : y) buckets[v >>> 26]++;
            double expected = D / 64.0, chi2 = 0;
            for (long b : buckets) chi2 += (b - expected) * (b - expected) / expected;
            // 63 degrees of freedom: P(chi2 > 110) < 1e-4.
            assertTrue(chi2 < 110, "client " + e.getKey() + ": chi2 " + chi2);
            double corr = correlation(y, x[e.getKey()]);
            assertTrue(Math.abs(corr) < 0.08, "client " + e.getKey() + ": correlation with the input " + corr);
            assertFalse(Arrays.equals(y, x[e.getKey()]));
        }
    }

    private static double correlation(int[] a, int[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n; mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    @Test
    void serverRefusesASelfSeedShareOfADroppedClient() {
        var rnd = new SecureRandom();
        var server = new SecAggServer(1, 2, 4);
        var clients = new TreeMap<Integer, SecAggClient>();
        var keys = new TreeMap<Integer, PublicKeys>();
        for (int u = 0; u < 3; u++) { clients.put(u, new SecAggClient(u, 1, 2, rnd)); keys.put(u, clients.get(u).advertiseKeys()); }
        var u1 = server.collectKeys(keys);
        var shared = new TreeMap<Integer, Map<Integer, byte[]>>();
        clients.forEach((u, c) -> shared.put(u, c.shareKeys(u1)));
        server.collectShares(shared);
        for (int u = 0; u < 2; u++) server.collectMaskedInput(u, clients.get(u).maskedInput(server.sharesFor(u), new int[4]));
        var honest = clients.get(0).unmask(server.survivors());
        var forged = new ArrayList<>(honest);
        forged.add(new KeyShare(2, KeyShare.Kind.SELF_MASK_SEED, new byte[Shamir.SHARE_BYTES]));
        var e = assertThrows(SecAggException.class, () -> server.unmask(Map.of(0, forged, 1, clients.get(1).unmask(server.survivors()))));
        assertTrue(e.getMessage().contains("never reveals"), e.getMessage());
    }

    @Test
    void clientRefusesASurvivorListWithoutItselfOrBelowThreshold() {
        var rnd = new SecureRandom();
        var clients = new TreeMap<Integer, SecAggClient>();
        var keys = new TreeMap<Integer, PublicKeys>();
        for (int u = 0; u < 3; u++) { clients.put(u, new SecAggClient(u, 1, 2, rnd)); keys.put(u, clients.get(u).advertiseKeys()); }
        var shared = new TreeMap<Integer, Map<Integer, byte[]>>();
        clients.forEach((u, c) -> shared.put(u, c.shareKeys(keys)));
        var c0 = clients.get(0);
        var incoming = new TreeMap<Integer, byte[]>();
        incoming.put(1, shared.get(1).get(0));
        incoming.put(2, shared.get(2).get(0));
        c0.maskedInput(incoming, new int[4]);
        assertThrows(IllegalArgumentException.class, () -> c0.unmask(Set.of(1, 2)));
    }

    @Test
    void tamperedShareFailsAuthentication() {
        var rnd = new SecureRandom();
        var a = new SecAggClient(0, 3, 2, rnd);
        var b = new SecAggClient(1, 3, 2, rnd);
        var keys = Map.of(0, a.advertiseKeys(), 1, b.advertiseKeys());
        byte[] ct = a.shareKeys(keys).get(1);
        b.shareKeys(keys);
        ct[20] ^= 1;
        var e = assertThrows(IllegalArgumentException.class, () -> b.maskedInput(Map.of(0, ct), new int[4]));
        assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
    }

    @Test
    void shamirAnyThresholdSubsetRecoversFewerDoNot() {
        var rnd = new SecureRandom();
        byte[] secret = new byte[32];
        rnd.nextBytes(secret);
        int[] xs = {1, 2, 3, 4, 5, 6, 7};
        byte[][] shares = Shamir.split(secret, 4, xs, rnd);
        var r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            var pick = new TreeMap<Integer, byte[]>();
            while (pick.size() < 4) { int i = r.nextInt(7); pick.put(xs[i], shares[i]); }
            assertArrayEquals(secret, Shamir.combine(pick, 4, 32));
            // three shares interpolate a degree-2 polynomial: a different value (or an out-of-range one)
            var three = new TreeMap<>(pick);
            three.remove(three.firstKey());
            byte[] wrong;
            try { wrong = Shamir.combine(three, 3, 32); } catch (IllegalArgumentException e) { continue; }
            assertFalse(Arrays.equals(secret, wrong));
        }
        assertThrows(IllegalArgumentException.class, () -> Shamir.combine(Map.of(1, shares[0]), 4, 32));
    }

    @Test
    void keyAgreementIsSymmetricAndPrivateScalarRoundTrips() {
        var rnd = new SecureRandom();
        var a = X25519.generate(rnd);
        var b = X25519.generate(rnd);
        assertArrayEquals(X25519.agree(a.getPrivate(), b.getPublic(), "t"), X25519.agree(b.getPrivate(), a.getPublic(), "t"));
        var rebuilt = X25519.privateFromScalar(X25519.scalar(a.getPrivate()));
        assertArrayEquals(X25519.agree(a.getPrivate(), b.getPublic(), "t"), X25519.agree(rebuilt, b.getPublic(), "t"));
        assertFalse(Arrays.equals(X25519.agree(a.getPrivate(), b.getPublic(), "t"), X25519.agree(a.getPrivate(), b.getPublic(), "u")));
    }
}

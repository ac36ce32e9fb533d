package org.sinter.privacy.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;

/**
 * Shamir's t-out-of-n secret sharing (1979) over the prime field GF(2^521 − 1), for secrets of up
 * to 64 bytes (the secure-aggregation seeds and X25519 scalars are 32). The share of party
 * {@code x} (x ≥ 1) is {@code f(x)} for a random polynomial of degree t − 1 with {@code f(0)} the
 * secret; any t shares give the secret by Lagrange interpolation at 0, fewer give nothing.
 */
public final class Shamir {
    /** The Mersenne prime 2^521 − 1. */
    static final BigInteger P = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);
    /** A share's encoding: the field element, big-endian, unsigned, in this many bytes. */
    public static final int SHARE_BYTES = 66;

    private Shamir() {}

    /** The shares {@code f(x)} for each of {@code xs} (distinct, ≥ 1). */
    public static byte[][] split(byte[] secret, int threshold, int[] xs, SecureRandom random) {
        if (secret.length > 64) throw new IllegalArgumentException("Shamir.split: secrets up to 64 bytes, got " + secret.length);
        if (threshold < 1 || threshold > xs.length) {
            throw new IllegalArgumentException("Shamir.split: threshold " + threshold + " outside 1.." + xs.length);
        }
        var seen = new HashSet<Integer>();
        for (int x : xs) {
            if (x < 1 || !seen.add(x)) throw new IllegalArgumentException("Shamir.split: share points must be distinct and >= 1, got " + Arrays.toString(xs));
        }
        BigInteger[] coeff = new BigInteger[threshold];
        coeff[0] = new BigInteger(1, secret);
        for (int k = 1; k < threshold; k++) coeff[k] = new BigInteger(521, random).mod(P);
        byte[][] shares = new byte[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            BigInteger x = BigInteger.valueOf(xs[i]), y = BigInteger.ZERO;
            for (int k = threshold - 1; k >= 0; k--) y = y.multiply(x).add(coeff[k]).mod(P); // Horner
            shares[i] = toBytes(y, SHARE_BYTES);
        }
        return shares;
    }

    /**
     * The secret (as {@code secretBytes} bytes) from shares keyed by their point x; needs at least
     * {@code threshold} of them (it uses exactly the first {@code threshold} given).
     */
    public static byte[] combine(Map<Integer, byte[]> shares, int threshold, int secretBytes) {
        if (shares.size() < threshold) {
            throw new IllegalArgumentException("Shamir.combine: " + shares.size() + " shares, the threshold is " + threshold);
        }
        int[] xs = shares.keySet().stream().mapToInt(Integer::intValue).sorted().limit(threshold).toArray();
        BigInteger secret = BigInteger.ZERO;
        for (int i = 0; i < xs.length; i++) {
            byte[] share = shares.get(xs[i]);
            if (share.length != SHARE_BYTES) throw new IllegalArgumentException("Shamir.combine: share of x=" + xs[i] + " has " + share.length + " bytes, not " + SHARE_BYTES);
            BigInteger num = BigInteger.ONE, den = BigInteger.ONE;
            for (int j = 0; j < xs.length; j++) {
                if (j == i) continue;
                num = num.multiply(BigInteger.valueOf(-xs[j])).mod(P);
                den = den.multiply(BigInteger.valueOf(xs[i] - xs[j])).mod(P);
            }
            BigInteger lagrange = num.multiply(den.modInverse(P)).mod(P);
            secret = secret.add(new BigInteger(1, share).multiply(lagrange)).mod(P);
        }
        if (secret.bitLength() > 8 * secretBytes) {
            throw new IllegalArgumentException("Shamir.combine: the shares do not interpolate to a " + secretBytes + "-byte secret (inconsistent or corrupted shares)");
        }
        return toBytes(secret, secretBytes);
    }

    private static byte[] toBytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray(); // big-endian, maybe with a leading sign byte
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}

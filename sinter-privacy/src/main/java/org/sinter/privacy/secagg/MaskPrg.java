package org.sinter.privacy.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudo-random generator that expands a 32-byte seed into a mask of ring elements: AES-256 in
 * counter mode (the JDK's {@code AES/CTR/NoPadding}) over zero bytes, keyed by SHA-256 of a domain
 * label and the seed, read as little-endian 32-bit integers. Uniform on Z_{2^32} if AES is a PRF.
 */
public final class MaskPrg {
    private static final byte[] LABEL = "sinter-secagg-mask-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private MaskPrg() {}

    /** {@code length} pseudo-random ints from {@code seed}. */
    public static int[] expand(byte[] seed, int length) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(LABEL);
            byte[] key = sha.digest(seed);
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            byte[] stream = aes.doFinal(new byte[4 * length]);
            int[] out = new int[length];
            ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            Arrays.fill(key, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MaskPrg: AES-CTR or SHA-256 unavailable in this JDK", e);
        }
    }

    /** {@code acc += sign · expand(seed)} mod 2^32, sign ±1. */
    public static void addMask(int[] acc, byte[] seed, int sign) {
        int[] m = expand(seed, acc.length);
        if (sign > 0) for (int i = 0; i < acc.length; i++) acc[i] += m[i];
        else for (int i = 0; i < acc.length; i++) acc[i] -= m[i];
    }
}

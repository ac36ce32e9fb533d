package org.sinter.privacy.secagg;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of the secret shares one client sends another through the server:
 * AES-256-GCM with a key from their X25519 agreement, a random 12-byte nonce prefixed to the
 * ciphertext, and (round, sender, recipient) as associated data so the server cannot replay a
 * share to another client or round without the tag failing.
 */
final class ShareCipher {
    private ShareCipher() {}

    static byte[] encrypt(byte[] key, long round, int from, int to, byte[] plaintext, SecureRandom random) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(round, from, to));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ShareCipher: AES-GCM unavailable", e);
        }
    }

    static byte[] decrypt(byte[] key, long round, int from, int to, byte[] message) {
        if (message.length < 12 + 16) throw new IllegalArgumentException("secure aggregation: share from client " + from + " is too short (" + message.length + " bytes)");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, message, 0, 12));
            c.updateAAD(aad(round, from, to));
            return c.doFinal(message, 12, message.length - 12);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("secure aggregation: share from client " + from + " to " + to + " in round " + round + " fails authentication", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ShareCipher: AES-GCM unavailable", e);
        }
    }

    private static byte[] aad(long round, int from, int to) {
        return ByteBuffer.allocate(16).putLong(round).putInt(from).putInt(to).array();
    }
}

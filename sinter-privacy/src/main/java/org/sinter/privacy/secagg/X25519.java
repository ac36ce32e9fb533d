package org.sinter.privacy.secagg;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Diffie-Hellman key agreement on Curve25519 through the JDK's {@code KeyAgreement("X25519")}
 * (RFC 7748), and the encodings the protocol moves around: public keys as X.509 bytes, private
 * keys as their 32-byte scalar (what is secret-shared so a dropped client's masks can be undone).
 */
public final class X25519 {
    private X25519() {}

    public static KeyPair generate(SecureRandom random) {
        try {
            var g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable in this JDK", e);
        }
    }

    public static byte[] encode(PublicKey key) {
        return key.getEncoded();
    }

    public static PublicKey decodePublic(byte[] x509) {
        try {
            return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("X25519: not an X25519 public key (" + x509.length + " bytes): " + e.getMessage(), e);
        }
    }

    public static byte[] scalar(PrivateKey key) {
        return ((XECPrivateKey) key).getScalar().orElseThrow(() -> new IllegalStateException("X25519: private scalar not extractable"));
    }

    public static PrivateKey privateFromScalar(byte[] scalar) {
        try {
            return KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("X25519: bad private scalar: " + e.getMessage(), e);
        }
    }

    /** SHA-256(label ‖ X25519(mine, theirs)): a 32-byte secret both sides derive, one per purpose. */
    public static byte[] agree(PrivateKey mine, PublicKey theirs, String label) {
        try {
            var ka = KeyAgreement.getInstance("X25519");
            ka.init(mine);
            ka.doPhase(theirs, true);
            byte[] shared = ka.generateSecret();
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.US_ASCII));
            return sha.digest(shared);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("X25519 key agreement failed: " + e.getMessage(), e);
        }
    }
}

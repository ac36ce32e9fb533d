package org.sinter.privacy.secagg;

/** A client's two advertised X25519 public keys (X.509 bytes): one to encrypt shares to it, one for pairwise masks. */
public record PublicKeys(byte[] cipherKey, byte[] maskKey) {}

package org.sinter.privacy.secagg;

/**
 * One Shamir share a surviving client reveals in the unmasking step: of {@code owner}'s self-mask
 * seed (when {@code owner} delivered its masked input) or of its mask private key (when it dropped).
 */
public record KeyShare(int owner, Kind kind, byte[] share) {
    public enum Kind { SELF_MASK_SEED, MASK_KEY }
}

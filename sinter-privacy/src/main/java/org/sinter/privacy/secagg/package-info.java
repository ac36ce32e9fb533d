/**
 * Secure aggregation with pairwise masks (Bonawitz et al., "Practical Secure Aggregation for
 * Privacy-Preserving Machine Learning", CCS 2017): X25519 key agreement, AES-CTR mask expansion,
 * Shamir sharing of seeds and keys so dropped clients' masks can be removed, over the ring Z_{2^32}.
 */
package org.sinter.privacy.secagg;

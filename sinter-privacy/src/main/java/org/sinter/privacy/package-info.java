/**
 * Differentially private training (course chapter 12): DP-SGD with per-sample gradients,
 * per-sample clipping and Gaussian noise ({@link org.sinter.privacy.PrivacyEngine}), Poisson
 * sampling of batches, and the Rényi-DP accountant ({@link org.sinter.privacy.accountant}).
 */
package org.sinter.privacy;

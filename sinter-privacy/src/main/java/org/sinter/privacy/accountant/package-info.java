/**
 * Privacy accounting for the Poisson-subsampled Gaussian mechanism: Rényi differential privacy
 * (Mironov, Talwar and Zhang 2019), composition over steps and conversion to (ε, δ).
 */
package org.sinter.privacy.accountant;

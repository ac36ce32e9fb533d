package org.sinter.privacy.accountant;

/** An (ε, δ) guarantee and the Rényi order the conversion took it from (NaN when ε is infinite at every order). */
public record PrivacySpent(double epsilon, double delta, double bestOrder) {}

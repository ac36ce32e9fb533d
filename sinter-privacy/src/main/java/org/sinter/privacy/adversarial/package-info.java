/**
 * Adversarial examples (course chapter 12): FGSM and PGD attacks under L∞ and L2 budgets, and
 * robust-accuracy evaluation.
 */
package org.sinter.privacy.adversarial;

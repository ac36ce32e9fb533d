/**
 * Per-sample gradients computed vectorised from each layer's input and output gradient (Opacus'
 * {@code GradSampleModule}), not by a loop of single-sample backward passes.
 */
package org.sinter.privacy.gradsample;

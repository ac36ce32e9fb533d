package org.sinter.privacy;

import org.sinter.privacy.gradsample.GradSampleModule;

/**
 * What {@link PrivacyEngine#makePrivate} returns (Opacus' {@code (model, optimizer, data_loader)}
 * triple): train with these instead of the originals.
 */
public record PrivateTraining(GradSampleModule module, DPOptimizer optimizer, PoissonDataLoader loader) {}

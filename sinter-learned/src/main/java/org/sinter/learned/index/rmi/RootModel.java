package org.sinter.learned.index.rmi;

/**
 * The first stage of a recursive model index: maps a key, normalised to {@code [0, 1]} over the key
 * range, to an estimate of its normalised position (its CDF), which picks the second-stage model.
 */
public interface RootModel {
    /** Estimated CDF at normalised key {@code x}. */
    double predict(double x);

    /** Parameter bytes (doubles) the model keeps. */
    long bytes();

    /** Short description, e.g. {@code linear}. */
    String describe();
}

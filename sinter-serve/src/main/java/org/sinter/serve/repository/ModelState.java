package org.sinter.serve.repository;

/** A model version's state in the repository index (Triton's names). */
public enum ModelState {
    READY, LOADING, UNLOADING, UNAVAILABLE
}

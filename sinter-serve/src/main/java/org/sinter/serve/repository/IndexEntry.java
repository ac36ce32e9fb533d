package org.sinter.serve.repository;

/**
 * A row of the repository index: a model (and version, or null for a model none of whose versions is
 * loaded), its state, and why it is not ready (empty when it is).
 */
public record IndexEntry(String name, Long version, ModelState state, String reason) {}

package org.sinter.serve.batching;

/** A request for a model version that is unloading (or unloaded) while the request waited or arrived. */
public final class ModelUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String message) {
        super(message);
    }
}

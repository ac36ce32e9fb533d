package org.sinter.cuda.driver;

/** A failure of the GPU runtime (a missing library, a driver error, a kernel that did not compile). */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}

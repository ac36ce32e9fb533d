package org.sinter.serve;

/**
 * A request the server answers with an error: the HTTP status and the message that goes into the
 * protocol's error body ({@code {"error": "..."}}). The message names the field, model or file at fault.
 */
public final class ServeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final int status;

    public ServeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ServeException badRequest(String message) {
        return new ServeException(400, message);
    }

    public static ServeException notFound(String message) {
        return new ServeException(404, message);
    }
}

package org.sinter.serve.http;

import java.util.List;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.sinter.serve.ServeException;

/** One HTTP request as the routes see it: method, decoded path segments, headers and a size-limited body. */
public final class Call {
    final String method;
    final List<String> path;
    private final Request request;
    private final int maxBodyBytes;
    private byte[] body;

    Call(String method, List<String> path, Request request, int maxBodyBytes) {
        this(method, path, request, maxBodyBytes, null);
    }

    /** @param body the body already read (within the limit), or null to read it on first use */
    Call(String method, List<String> path, Request request, int maxBodyBytes, byte[] body) {
        this.method = method;
        this.path = path;
        this.request = request;
        this.maxBodyBytes = maxBodyBytes;
        this.body = body;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The whole body; 413 when it exceeds the server's limit (checked on Content-Length before reading). */
    byte[] body() {
        if (body != null) return body;
        long declared = request.getLength();
        if (declared > maxBodyBytes) throw tooLarge(declared);
        // A blocking read is fine: handlers run on virtual threads. One byte past the limit tells a
        // chunked body that is too large from one that fits exactly.
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(maxBodyBytes + 1);
            if (b.length > maxBodyBytes) throw tooLarge(-1);
            body = b;
        } catch (IOException e) {
            throw ServeException.badRequest("could not read the request body: " + e.getMessage());
        }
        return body;
    }

    private ServeException tooLarge(long declared) {
        return new ServeException(413, "the request body" + (declared >= 0 ? " of " + declared + " bytes" : "")
                + " exceeds the server's limit of " + maxBodyBytes + " bytes (--max-body-mb)");
    }
}

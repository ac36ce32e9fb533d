package org.sinter.rl.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;
import org.sinter.rl.spaces.Space;

/**
 * An environment that lives in another process, reached over a loopback socket with the
 * external-environment protocol (documented in {@code docs/rl.md}; {@link EnvServer} is the Java
 * side's server, {@code examples/rl/remote_env_server.py} a Python one). The spaces arrive at
 * connect time; every read waits at most the given timeout. Observations are {@code double[]};
 * actions are {@code Integer} for a discrete action space and {@code double[]} for a box.
 */
public final class RemoteEnv<A> implements Env<double[], A>, AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;
    private final String where;
    private final String id;
    private final Space<double[]> observationSpace;
    private final Space<A> actionSpace;

    private RemoteEnv(int port, Duration timeout, Class<?> actionKind) throws IOException {
        this.where = "RemoteEnv(127.0.0.1:" + port + ")";
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            String hello = readLine("greeting");
            if (!hello.equals(EnvProtocol.VERSION)) throw new IllegalStateException(where + ": expected greeting '" + EnvProtocol.VERSION + "', got '" + hello + "'");
            String[] env = expect(readLine("env line"), "env", 2);
            this.id = env[1];
            Space<?> obs = EnvProtocol.parseSpace(expect(readLine("observation line"), "observation", 2), 1, "observation");
            Space<?> act = EnvProtocol.parseSpace(expect(readLine("action line"), "action", 2), 1, "action");
            if (!(obs instanceof Box box)) throw new IllegalStateException(where + ": observation space must be a box, got " + obs);
            Class<?> served = act instanceof Discrete ? Integer.class : double[].class;
            if (served != actionKind) throw new IllegalStateException(where + "(" + id + "): the server's action space is " + act + ", not " + (actionKind == Integer.class ? "discrete" : "a box"));
            this.observationSpace = box;
            @SuppressWarnings("unchecked") Space<A> typed = (Space<A>) act;
            this.actionSpace = typed;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects to a server whose action space is {@link Discrete}. */
    public static RemoteEnv<Integer> discrete(int port, Duration timeout) throws IOException {
        return new RemoteEnv<>(port, timeout, Integer.class);
    }

    /** Connects to a server whose action space is a {@link Box}. */
    public static RemoteEnv<double[]> continuous(int port, Duration timeout) throws IOException {
        return new RemoteEnv<>(port, timeout, double[].class);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Space<double[]> observationSpace() {
        return observationSpace;
    }

    @Override
    public Space<A> actionSpace() {
        return actionSpace;
    }

    @Override
    public ResetResult<double[]> reset(long seed) {
        return new ResetResult<>(observation(call("reset " + seed, "obs"), 1));
    }

    @Override
    public ResetResult<double[]> reset() {
        return new ResetResult<>(observation(call("reset", "obs"), 1));
    }

    @Override
    public StepResult<double[]> step(A action) {
        String encoded = switch (action) {
            case Integer a -> a.toString();
            case double[] a -> EnvProtocol.join(a);
            default -> throw new IllegalArgumentException(where + "(" + id + "): unsupported action " + action);
        };
        // A discrete action must be in the space; a box action of the right size goes to the environment, which decides
        // (the classic-control ones clip it, as Gymnasium's do, so a remote copy steps as a local one).
        boolean fits = action instanceof double[] a && actionSpace instanceof Box box ? a.length == box.size() : actionSpace.contains(action);
        if (!fits) {
            throw new IllegalArgumentException(where + "(" + id + "): action " + (action instanceof double[] a ? Arrays.toString(a) : action) + " is outside " + actionSpace);
        }
        String[] t = call("step " + encoded, "step");
        EnvProtocol.expectTokens(t, 4, "step reply");
        return new StepResult<>(observation(t, 4), EnvProtocol.parseDouble(t[1], "reward"),
                EnvProtocol.parseFlag(t[2], "terminated"), EnvProtocol.parseFlag(t[3], "truncated"));
    }

    private double[] observation(String[] tokens, int from) {
        int n = ((Box) observationSpace).size();
        if (tokens.length != from + n) {
            throw new IllegalStateException(where + "(" + id + "): observation has " + (tokens.length - from) + " values, the space " + n);
        }
        return EnvProtocol.parseDoubles(tokens, from, n, "observation");
    }

    private String[] call(String request, String replyKind) {
        try {
            out.write(request + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(where + "(" + id + "): sending '" + request + "' failed (connection closed?)", e);
        }
        String reply = readLine(replyKind + " reply to '" + request + "'");
        if (reply.startsWith("error")) throw new IllegalStateException(where + "(" + id + "): the server refused '" + request + "': " + reply.substring(5).strip());
        return expect(reply, replyKind, 1);
    }

    private String readLine(String what) {
        try {
            String line = in.readLine();
            if (line == null) throw new IllegalStateException(where + ": the server closed the connection while " + what + " was expected");
            return line.strip();
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException(where + ": no " + what + " within " + socketTimeout() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": reading the " + what + " failed", e);
        }
    }

    private int socketTimeout() {
        try {
            return socket.getSoTimeout();
        } catch (IOException e) {
            return -1;
        }
    }

    private String[] expect(String line, String kind, int atLeast) {
        String[] t = line.split("\\s+");
        if (!t[0].equals(kind) || t.length < atLeast) throw new IllegalStateException(where + ": expected a '" + kind + "' line, got '" + line + "'");
        return t;
    }

    /** Says goodbye and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            out.write("close\n");
            out.flush();
        } catch (IOException ignored) {
            // The server may already be gone; closing is what matters.
        } finally {
            socket.close();
        }
    }
}

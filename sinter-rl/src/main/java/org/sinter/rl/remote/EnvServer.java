package org.sinter.rl.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.sinter.rl.Env;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * Serves any {@code Env<double[], ?>} with a discrete or box action space over the
 * external-environment protocol on a loopback port: each connection gets a fresh environment from
 * the factory and its own thread. A bad request (unknown message, a malformed action, a discrete
 * one outside the space, an error from the environment, which judges box actions itself) is answered with an {@code error} line naming it, and the
 * connection stays open; a client silent for longer than the idle timeout is disconnected.
 */
public final class EnvServer implements AutoCloseable {
    private final LoopbackServer server;
    private final Supplier<? extends Env<double[], ?>> factory;
    private final int idleMillis;

    public EnvServer(Supplier<? extends Env<double[], ?>> factory, int port, Duration idleTimeout) throws IOException {
        this.factory = factory;
        this.idleMillis = Math.toIntExact(idleTimeout.toMillis());
        this.server = new LoopbackServer(port, "env-server", this::serve);
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return server.port();
    }

    private void serve(Socket client) {
        try {
            client.setSoTimeout(idleMillis);
            client.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
            Env<double[], ?> env = factory.get();
            out.write(EnvProtocol.VERSION + "\nenv " + env.id() + "\nobservation " + EnvProtocol.formatSpace(env.observationSpace())
                    + "\naction " + EnvProtocol.formatSpace(env.actionSpace()) + "\n");
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String request = line.strip();
                if (request.equals("close")) return;
                String reply;
                try {
                    reply = answer(env, request);
                } catch (RuntimeException e) {
                    reply = "error " + env.id() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
                }
                out.write(reply + "\n");
                out.flush();
            }
        } catch (SocketTimeoutException e) {
            // Idle past the timeout: drop the client, keep serving others.
        } catch (IOException e) {
            // The client went away.
        }
    }

    private static String answer(Env<double[], ?> env, String request) {
        String[] t = request.split("\\s+");
        return switch (t[0]) {
            case "reset" -> {
                if (t.length > 2) throw new IllegalArgumentException("reset takes at most a seed, got '" + request + "'");
                double[] obs = t.length == 2 ? env.reset(EnvProtocol.parseLong(t[1], "seed")).observation() : env.reset().observation();
                yield "obs " + EnvProtocol.join(obs);
            }
            case "step" -> "step " + format(stepWith(env, t));
            default -> throw new IllegalArgumentException("unknown message '" + t[0] + "' (expected reset, step or close)");
        };
    }

    private static <A> StepResult<double[]> stepWith(Env<double[], A> env, String[] t) {
        Object action = switch (env.actionSpace()) {
            case Discrete d -> {
                if (t.length != 2) throw new IllegalArgumentException("a discrete action is one integer, got " + (t.length - 1) + " values");
                yield EnvProtocol.parseInt(t[1], "action");
            }
            case Box b -> {
                if (t.length != 1 + b.size()) throw new IllegalArgumentException("the action space " + b + " needs " + b.size() + " values, got " + (t.length - 1));
                yield EnvProtocol.parseDoubles(t, 1, b.size(), "action");
            }
            default -> throw new IllegalStateException("unsupported action space " + env.actionSpace());
        };
        @SuppressWarnings("unchecked") A typed = (A) action;
        // A box action of the right size goes to the environment, which refuses or clips it as it does in process.
        if (env.actionSpace() instanceof Discrete && !env.actionSpace().contains(typed)) throw new IllegalArgumentException("action " + String.join(" ", java.util.Arrays.copyOfRange(t, 1, t.length)) + " is outside " + env.actionSpace());
        return env.step(typed);
    }

    private static String format(StepResult<double[]> r) {
        return r.reward() + " " + (r.terminated() ? 1 : 0) + " " + (r.truncated() ? 1 : 0) + " " + EnvProtocol.join(r.observation());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

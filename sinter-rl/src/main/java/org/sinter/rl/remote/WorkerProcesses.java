package org.sinter.rl.remote;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sinter.rl.WeightSnapshot;

/**
 * The learner's side of rollout workers in separate processes: it starts one JVM per worker
 * (this JVM's java and class path, running a worker main such as
 * {@code org.sinter.rl.apex.ApexWorkerMain}), waits on a loopback server socket for each to say
 * hello with the run's token (from its environment, so other local processes cannot join), sends it
 * its {@link WorkerSetup}, and returns one {@link RolloutSource} per worker. Each
 * {@link RolloutSource#next} is one exchange of the protocol in {@link WorkerProcess}: the worker
 * says its weights' version and whether it is due for new ones, the learner answers go (with the
 * latest weights when {@link RolloutSource#shouldLoad} says so), the worker returns one batch.
 * A worker that dies fails the exchange with its exit code and the end of its output.
 */
public final class WorkerProcesses {
    /** How long the workers have to start and connect (a JVM start on a loaded machine can take many seconds). */
    static final long CONNECT_TIMEOUT_MS = 120_000;

    private WorkerProcesses() {}

    /**
     * {@code workers} processes of {@code mainClass} for a learner named {@code who}: worker k gets
     * seed {@code seeds.applyAsLong(k)}, environment {@code envId} (which must be registered, since
     * the worker builds it by id) and {@code config}; a failure to start is an unchecked error naming {@code who}.
     */
    public static <E> List<RolloutSource<E>> startFor(String who, Class<?> mainClass, int workers, java.util.function.IntToLongFunction seeds, String envId,
                                                      java.io.Serializable config, Codec<E> codec) {
        if (!org.sinter.rl.envs.Envs.IDS.contains(envId)) {
            throw new IllegalArgumentException(who + ": worker processes build their environment by id, and " + envId + " is not one of " + org.sinter.rl.envs.Envs.IDS);
        }
        List<WorkerSetup> setups = new ArrayList<>();
        for (int k = 0; k < workers; k++) setups.add(new WorkerSetup(k, seeds.applyAsLong(k), envId, config));
        try {
            return start(mainClass, setups, codec);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(who + ": the actor processes did not start: " + e.getMessage(), e);
        }
    }

    /** Starts {@code setups.size()} worker processes running {@code mainClass} and connects to each. */
    public static <E> List<RolloutSource<E>> start(Class<?> mainClass, List<WorkerSetup> setups, Codec<E> codec) throws IOException {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        Remote<?>[] connected = new Remote<?>[setups.size()];
        boolean ok = false;
        try (ServerSocket server = new ServerSocket(0, setups.size(), InetAddress.getLoopbackAddress())) {
            for (WorkerSetup setup : setups) {
                Path log = Files.createTempFile("sinter-rl-worker-" + setup.index() + "-", ".log");
                logs.add(log);
                ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(mainClass, List.of(Integer.toString(server.getLocalPort()), Integer.toString(setup.index()))));
                pb.environment().put(WorkerProcess.TOKEN_ENV, token);
                processes.add(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
            }
            server.setSoTimeout(250);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
            int waiting = setups.size();
            while (waiting > 0) {
                for (int k = 0; k < processes.size(); k++) {
                    if (connected[k] == null && !processes.get(k).isAlive()) {
                        throw new IOException(describe(k, processes.get(k), logs.get(k)) + " before it connected");
                    }
                }
                if (System.nanoTime() > deadline) throw new IOException("rollout workers: " + waiting + " of " + setups.size() + " did not connect within "
                        + CONNECT_TIMEOUT_MS / 1000 + " s");
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                int k = hello(socket, token, connected);
                if (k < 0) continue;
                connected[k] = new Remote<>(k, socket, processes.get(k), logs.get(k), codec);
                connected[k].sendSetup(setups.get(k));
                waiting--;
            }
            ok = true;
        } finally {
            if (!ok) {
                for (Remote<?> r : connected) if (r != null) r.close();
                for (Process p : processes) p.destroyForcibly();
                for (Path log : logs) Files.deleteIfExists(log);
            }
        }
        List<RolloutSource<E>> sources = new ArrayList<>();
        for (Remote<?> r : connected) {
            @SuppressWarnings("unchecked") // every Remote here was built with this codec
            RolloutSource<E> source = (RolloutSource<E>) r;
            sources.add(source);
        }
        return sources;
    }

    /** The worker index a connection announces, or −1 (and the connection closed) when it is not one of ours. */
    private static int hello(Socket socket, String token, Remote<?>[] connected) {
        try {
            socket.setSoTimeout((int) CONNECT_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            int index = in.readInt() == WorkerProcess.MAGIC && in.readUTF().equals(token) ? in.readInt() : -1;
            if (index >= 0 && index < connected.length && connected[index] == null) {
                socket.setSoTimeout(0);
                return index;
            }
        } catch (IOException e) {
            // Not a worker of this run: fall through and drop it.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
        return -1;
    }

    static String describe(int index, Process process, Path log) {
        String tail = ChildJvm.tail(log);
        String status;
        try {
            status = process.waitFor(2, TimeUnit.SECONDS) ? "exited with code " + process.exitValue() : "is still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "is in an unknown state";
        }
        return "rollout worker " + index + " (pid " + process.pid() + ") " + status + "; " + tail;
    }

    /** One connected worker process. */
    private static final class Remote<E> implements RolloutSource<E> {
        private final int index;
        private final Socket socket;
        private final Process process;
        private final Path log;
        private final Codec<E> codec;
        private final DataInputStream in;
        private final DataOutputStream out;

        Remote(int index, Socket socket, Process process, Path log, Codec<E> codec) throws IOException {
            this.index = index;
            this.socket = socket;
            this.process = process;
            this.log = log;
            this.codec = codec;
            socket.setTcpNoDelay(true);
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        }

        void sendSetup(WorkerSetup setup) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                o.writeObject(setup.config());
            }
            out.writeInt(setup.index());
            out.writeLong(setup.seed());
            out.writeUTF(setup.envId());
            out.writeInt(bytes.size());
            bytes.writeTo(out);
            out.flush();
        }

        @Override
        public E next(WeightSnapshot latest) throws IOException {
            try {
                long version = in.readLong();
                boolean due = in.readBoolean();
                if (RolloutSource.shouldLoad(due, version, latest)) {
                    out.writeByte(WorkerProcess.GO_WITH_WEIGHTS);
                    Wire.writeWeights(out, latest);
                } else {
                    out.writeByte(WorkerProcess.GO);
                }
                out.flush();
                return codec.read(in);
            } catch (IOException e) {
                if (socket.isClosed()) throw e; // closed by the learner: the run is stopping
                throw new IOException(describe(index, process, log), e);
            }
        }

        /** Closes the connection (the worker takes the end of its input as the signal to exit) and reaps the process. */
        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is all that is wanted.
            }
            ChildJvm.reap(process, log);
        }
    }
}

package org.sinter.rl.remote;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Function;

/**
 * The worker's side of a rollout worker process (see {@link WorkerProcesses}). Over one loopback
 * connection to the learner:
 * <ol>
 * <li>worker → learner, hello: {@link #MAGIC}, the run's token, the worker's index;</li>
 * <li>learner → worker, setup: index, seed, environment id, the settings record (Java
 * serialization, read through a filter that admits only the expected settings class and int
 * arrays);</li>
 * <li>then, repeatedly: worker → learner its weights' version and whether it is due for new ones;
 * learner → worker {@link #GO}, or {@link #GO_WITH_WEIGHTS} and a {@link Wire#writeWeights weight
 * snapshot}; worker → learner one batch ({@link Codec}).</li>
 * </ol>
 * The end of the learner's stream (it closed the connection) ends the worker normally; any error
 * ends the process with code 1 and the stack trace on its output, which the learner reports.
 */
public final class WorkerProcess {
    static final int MAGIC = 0x534E524C; // "SNRL"
    static final int GO = 1, GO_WITH_WEIGHTS = 2;
    /** The environment variable that carries the run's token to the worker. */
    static final String TOKEN_ENV = "SINTER_RL_WORKER_TOKEN";

    private WorkerProcess() {}

    /**
     * Runs a worker main: {@code args} are the learner's port and this worker's index;
     * {@code build} makes the rollout worker from the setup, whose settings are a {@code configClass}.
     */
    public static <E> void main(String[] args, Class<? extends Serializable> configClass, Function<WorkerSetup, RolloutWorker<E>> build, Codec<E> codec) {
        if (args.length != 2) {
            System.err.println("usage: <worker main> PORT INDEX (started by the learner, with " + TOKEN_ENV + " set)");
            System.exit(2);
        }
        try {
            serve(Integer.parseInt(args[0]), Integer.parseInt(args[1]), System.getenv(TOKEN_ENV), configClass, build, codec);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static <E> void serve(int port, int index, String token, Class<? extends Serializable> configClass, Function<WorkerSetup, RolloutWorker<E>> build,
                          Codec<E> codec) throws IOException, ClassNotFoundException {
        if (token == null) throw new IllegalStateException("rollout worker " + index + ": " + TOKEN_ENV + " is not set (workers are started by the learner)");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            out.writeInt(MAGIC);
            out.writeUTF(token);
            out.writeInt(index);
            out.flush();
            RolloutWorker<E> worker = build.apply(readSetup(in, configClass));
            while (true) {
                out.writeLong(worker.version());
                out.writeBoolean(worker.syncDue());
                out.flush();
                int command = in.read();
                if (command == -1) return;
                if (command == GO_WITH_WEIGHTS) worker.load(Wire.readWeights(in));
                else if (command != GO) throw new IOException("rollout protocol: unknown command " + command);
                codec.write(out, worker.collect());
                out.flush();
            }
        }
    }

    private static WorkerSetup readSetup(DataInputStream in, Class<? extends Serializable> configClass) throws IOException, ClassNotFoundException {
        int index = in.readInt();
        long seed = in.readLong();
        String envId = in.readUTF();
        byte[] config = new byte[Wire.length(in, "setup.config")];
        in.readFully(config);
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(config))) {
            o.setObjectInputFilter(ObjectInputFilter.Config.createFilter(configClass.getName() + ";[I;maxdepth=3;maxbytes=65536;!*"));
            return new WorkerSetup(index, seed, envId, configClass.cast(o.readObject()));
        }
    }
}

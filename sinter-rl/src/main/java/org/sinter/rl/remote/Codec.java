package org.sinter.rl.remote;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** How one kind of experience batch travels between a worker process and the learner. */
public interface Codec<E> {
    void write(DataOutputStream out, E value) throws IOException;

    E read(DataInputStream in) throws IOException;
}

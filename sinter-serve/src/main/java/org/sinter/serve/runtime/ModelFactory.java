package org.sinter.serve.runtime;

import org.sinter.nn.Module;

/**
 * Builds a freshly initialised module for an architecture name from a model's config ({@code "model":
 * "lab1cnn"}); the repository then loads the version's weights into it. The server does not know the
 * architectures itself: the command line hands it its model zoo, a test hands it whatever it builds.
 */
@FunctionalInterface
public interface ModelFactory {
    /** @throws IllegalArgumentException naming the known architectures when {@code name} is not one */
    Module create(String name);
}

package org.sinter.serve.grpc;

import java.util.Map;
import java.util.Set;
import org.sinter.serve.ServeException;
import org.sinter.serve.grpc.v2.ModelRepositoryParameter;
import org.sinter.serve.grpc.v2.RepositoryIndexRequest;
import org.sinter.serve.grpc.v2.RepositoryIndexResponse;
import org.sinter.serve.grpc.v2.RepositoryModelLoadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelLoadResponse;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadResponse;
import org.sinter.serve.repository.IndexEntry;
import org.sinter.serve.repository.ModelRepository;
import org.sinter.serve.repository.ModelState;

/**
 * The model repository extension over gRPC (Triton's {@code RepositoryIndex},
 * {@code RepositoryModelLoad}, {@code RepositoryModelUnload}), answering as the REST routes do: the
 * index lists every model with its state and reason; load loads or reloads (a failure is
 * {@code INVALID_ARGUMENT} with the reason), unload unloads ({@code NOT_FOUND} for a model not loaded).
 * The server has one repository: {@code repository_name} may be empty or that directory's name.
 */
final class RepositoryRpcs {
    /** Unload parameters that are understood; the server has no ensembles, so there are never dependents. */
    private static final Set<String> UNLOAD_PARAMETERS = Set.of("unload_dependents");

    private final ModelRepository repository;

    RepositoryRpcs(ModelRepository repository) {
        this.repository = repository;
    }

    RepositoryIndexResponse index(RepositoryIndexRequest r) {
        checkRepository(r.getRepositoryName());
        RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
        for (IndexEntry e : repository.index()) {
            if (r.getReady() && e.state() != ModelState.READY) continue;
            RepositoryIndexResponse.ModelIndex.Builder m = RepositoryIndexResponse.ModelIndex.newBuilder().setName(e.name())
                    .setState(e.state().name()).setReason(e.reason());
            if (e.version() != null) m.setVersion(e.version().toString());
            b.addModels(m);
        }
        return b.build();
    }

    RepositoryModelLoadResponse load(RepositoryModelLoadRequest r) {
        checkRepository(r.getRepositoryName());
        if (!r.getParametersMap().isEmpty()) {
            // Triton's "config" and "file:" parameters override the repository's files; this server
            // loads only what the repository holds.
            throw ServeException.badRequest("parameters." + r.getParametersMap().keySet().iterator().next()
                    + ": load parameters (config or file overrides) are not supported; change the repository and load again");
        }
        repository.load(modelName(r.getModelName()));
        return RepositoryModelLoadResponse.getDefaultInstance();
    }

    RepositoryModelUnloadResponse unload(RepositoryModelUnloadRequest r) {
        checkRepository(r.getRepositoryName());
        for (Map.Entry<String, ModelRepositoryParameter> p : r.getParametersMap().entrySet()) {
            if (!UNLOAD_PARAMETERS.contains(p.getKey())) {
                throw ServeException.badRequest("parameters." + p.getKey() + " is not an unload parameter; known: " + UNLOAD_PARAMETERS);
            }
            if (p.getValue().getParameterChoiceCase() != ModelRepositoryParameter.ParameterChoiceCase.BOOL_PARAM) {
                throw ServeException.badRequest("parameters." + p.getKey() + " must be a bool_param");
            }
        }
        repository.unload(modelName(r.getModelName()));
        return RepositoryModelUnloadResponse.getDefaultInstance();
    }

    private static String modelName(String name) {
        if (name.isEmpty()) throw ServeException.badRequest("model_name is missing");
        return name;
    }

    private void checkRepository(String name) {
        if (name.isEmpty()) return;
        String mine = repository.root().getFileName() == null ? "" : repository.root().getFileName().toString();
        if (!name.equals(mine)) {
            throw ServeException.notFound("repository_name '" + name + "' is not this server's repository ('" + mine + "'); leave it empty");
        }
    }
}

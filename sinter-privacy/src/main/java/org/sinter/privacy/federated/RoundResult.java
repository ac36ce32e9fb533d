package org.sinter.privacy.federated;

import java.util.List;
import java.util.Map;

/**
 * What happened in one round: who was asked, whose update went into the aggregate, who dropped and
 * why (timeout, silence, failure), and, when the global model stayed as it was, the reason.
 */
public record RoundResult(long round, List<Integer> sampled, List<Integer> aggregated, Map<Integer, String> dropped, String skipped, double seconds) {
    public boolean applied() {
        return skipped == null;
    }
}

package dev.switchboard.core;

/**
 * A count summed over the nodes of a cluster, such as the connections an API disconnect closed.
 *
 * @param count the sum of what every answering node reported
 * @param partial whether a node that should have answered did not in time (never on a single node)
 */
public record ClusterCount(int count, boolean partial) {
    public ClusterCount {
        if (count < 0) {
            throw new IllegalArgumentException("count < 0");
        }
    }
}

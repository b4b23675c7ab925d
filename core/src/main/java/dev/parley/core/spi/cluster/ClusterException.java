package dev.parley.core.spi.cluster;

/** The cluster could not do what was asked (timed out, this node is shutting down, ...). */
public class ClusterException extends RuntimeException {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.parley.core.spi.store;

/**
 * The store cannot take or give messages right now (disk full, database unreachable or restarting). Nothing
 * the failed call was given was kept; the caller answers {@code STORE_UNAVAILABLE} and may try again later.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}

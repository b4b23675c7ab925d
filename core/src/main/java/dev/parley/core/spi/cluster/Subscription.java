package dev.parley.core.spi.cluster;

/** A listener registration; closing it stops the calls. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}

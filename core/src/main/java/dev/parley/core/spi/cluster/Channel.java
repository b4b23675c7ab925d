package dev.parley.core.spi.cluster;

import java.util.function.Consumer;

/**
 * Best-effort broadcast to every node subscribed to the same name. Messages of one publisher arrive in the
 * order published; messages of different publishers have no common order.
 */
public interface Channel {

    /** Sends the message to every subscriber, this node's included; never blocks for long. */
    void publish(String message);

    /** Calls the listener with every message published from now on, one at a time. */
    Subscription subscribe(Consumer<String> listener);
}

package dev.parley.web.ws;

/** What the WebSocket transport counts for the metrics; implemented by the metrics module's side. */
public interface TransportMetrics {

    /** Bytes received (a text message counts its characters, a binary message its bytes). */
    void received(long bytes);

    /** Bytes handed to the socket. */
    void sent(long bytes);

    /** A connection was closed with BYE SLOW_CONSUMER. */
    void slowConsumer();

    /** Counts nothing. */
    TransportMetrics NONE = new TransportMetrics() {
        @Override
        public void received(long bytes) {
        }

        @Override
        public void sent(long bytes) {
        }

        @Override
        public void slowConsumer() {
        }
    };
}

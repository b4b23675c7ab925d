/**
 * Parley on HTTP: an embedded Jetty 12 serving the WebSocket transport ({@code /ws}), the browser client
 * ({@code /}), health checks, Prometheus metrics and the operators' admin API. MINA stays the TCP transport;
 * this module implements core's {@link dev.parley.core.net.Connection} for WebSocket sessions.
 *
 * <p>Exports only {@code dev.parley.web} ({@code WebServer}, {@code WebSettings}, {@code WebMetrics}) for the
 * launcher. No {@code opens}: Jetty calls our handlers and listeners through its public interfaces and never
 * reflects on them, and nothing here is built by Guice.
 */
module dev.parley.web {
    requires transitive dev.parley.core;
    requires org.slf4j;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.api;
    requires org.eclipse.jetty.websocket.server;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;

    exports dev.parley.web;
    // Jetty calls each WebSocket listener's methods through method handles of its own lookup.
    exports dev.parley.web.ws;
}

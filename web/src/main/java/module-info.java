/**
 * Parley on HTTP: an embedded Jetty 12 serving the WebSocket transport ({@code /ws}), the browser client
 * ({@code /}), health checks, Prometheus metrics and the operators' admin API. MINA stays the TCP transport;
 * this module implements core's {@link dev.parley.core.net.Connection} for WebSocket sessions.
 *
 * <p>Exports {@code dev.parley.web} ({@code WebServer}, {@code WebSettings}, {@code WebMetrics}) for the
 * launcher, and {@code dev.parley.web.ws} for Jetty (below). No {@code opens}: nothing here is built by Guice
 * or read reflectively.
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
    // Jetty invokes a WebSocket listener's methods through a public method-handle lookup, which reaches only
    // public classes of unconditionally exported packages: a qualified export to Jetty's modules is not enough
    // (500 "Unable to access method ... onWebSocketOpen"). The package holds nothing but the transport.
    exports dev.parley.web.ws;
}

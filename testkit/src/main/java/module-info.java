/**
 * Parley's test kit: runs plugins inside a real {@code ServerCore} and talks to them as a client would,
 * in memory ({@link dev.parley.testkit.ParleyTestKit}) or over a loopback socket.
 */
module dev.parley.testkit {
    requires transitive dev.parley.core;

    exports dev.parley.testkit;
}

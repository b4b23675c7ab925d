package dev.parley.client;

import dev.parley.core.protocol.Frame;
import java.util.Arrays;
import java.util.List;

/**
 * The server's greeting, {@code HELLO <server-name> <protocol-version> <software-version> :<plugins>}.
 *
 * @param serverName      the name the operator gave the server
 * @param protocolVersion the protocol version it speaks ("1")
 * @param softwareVersion the server's software version
 * @param plugins         the running plugins, in start order
 */
public record ServerHello(String serverName, String protocolVersion, String softwareVersion, List<String> plugins) {

    public ServerHello {
        plugins = List.copyOf(plugins);
    }

    /** Reads a {@code HELLO} frame; missing fields become "?" rather than failing a usable connection. */
    public static ServerHello from(Frame hello) {
        String plugins = hello.trailing() == null ? "" : hello.trailing().strip();
        return new ServerHello(orUnknown(hello.param(0)), orUnknown(hello.param(1)), orUnknown(hello.param(2)),
                plugins.isEmpty() ? List.of() : Arrays.asList(plugins.split(" +")));
    }

    public boolean runs(String plugin) {
        return plugins.contains(plugin);
    }

    private static String orUnknown(String value) {
        return value == null ? "?" : value;
    }
}

package dev.parley.launcher.client;

import dev.parley.core.protocol.Frame;
import dev.parley.launcher.LaunchException;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.DataLines;
import dev.parley.client.ParleyConnection;
import dev.parley.client.ParleyLink;
import dev.parley.client.Reply;
import dev.parley.client.Answers;
import dev.parley.client.Backoff;
import dev.parley.client.ReconnectingLink;
import dev.parley.client.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** The options every client subcommand shares (a picocli mixin), and the connection they describe. */
public final class ClientOptions {

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Server address (default: ${DEFAULT-VALUE}).")
    public String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "7878",
            description = "Server port (default: ${DEFAULT-VALUE}).")
    public int port;

    @Option(names = "--fallback", paramLabel = "HOST:PORT",
            description = "Another server of the same cluster, tried in turn when reconnecting (repeatable); a"
                    + " session whose server died is taken over there with RESUME.")
    public List<String> fallbacks = new ArrayList<>();

    @Option(names = "--tls", description = "Speak TLS (the server runs with parley.tls.enabled); trusts the"
            + " JDK's certificate authorities unless --truststore is given.")
    public boolean tls;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --tls: trust the certificates in this"
            + " PKCS12 file (e.g. a self-signed server's); its password, if any, from the environment variable"
            + " PARLEY_TRUSTSTORE_PASSWORD (never on the command line, where others could read it).")
    public java.nio.file.Path truststore;

    @Option(names = "--insecure", description = "With --tls: accept ANY certificate and host name. The link is"
            + " encrypted but the server is not authenticated; for testing only.")
    public boolean insecure;

    @Option(names = "--nick", paramLabel = "N", required = true, converter = NickConverter.class,
            description = "Your nick on the server: one word, no spaces.")
    public String nick;

    /**
     * Why a nick cannot go into a NICK command at all (the server judges the rest), or empty when it can: a
     * bad one is a usage error of one line, not a failure of the protocol model.
     */
    public static java.util.Optional<String> unusableNick(String nick) {
        if (nick.isEmpty()) {
            return java.util.Optional.of("a nick cannot be empty");
        }
        try {
            Frame.of("NICK").param(nick).build();
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("a nick is one word: no spaces or control characters, not starting"
                    + " with ':'");
        }
    }

    /** Checks {@code --nick} while the command line is parsed. */
    static final class NickConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            unusableNick(value).ifPresent(problem -> {
                throw new picocli.CommandLine.TypeConversionException("'"
                        + dev.parley.launcher.client.display.SafeText.escape(value) + "' is not a nick: " + problem);
            });
            return value;
        }
    }

    @Option(names = "--account", paramLabel = "NAME",
            description = "Log in as this account (AUTH) before taking the nick. The password comes from the"
                    + " environment variable " + PASSWORD_VARIABLE + " if set, else the terminal (not echoed), else"
                    + " the first line of stdin; never from the command line.")
    public String account;

    /** Where scripts put the account's password; read once, never echoed or logged. */
    public static final String PASSWORD_VARIABLE = "PARLEY_PASSWORD";

    private char[] password;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for each answer the command waits for, not counting time spent"
                    + " reconnecting (default: ${DEFAULT-VALUE}).")
    public int timeoutSeconds;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for a connection and the server's greeting (default: ${DEFAULT-VALUE}).")
    public double connectTimeoutSeconds;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "After this long without a byte from the server the connection counts as dead and is"
                    + " replaced; the server is pinged after a third of it. 0: never (default: ${DEFAULT-VALUE}).")
    public double readTimeoutSeconds;

    @Option(names = "--reconnect-initial", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Wait before the first attempt to reconnect; doubled after each failed one, with"
                    + " jitter (default: ${DEFAULT-VALUE}).")
    public double reconnectInitialSeconds;

    @Option(names = "--reconnect-max", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest wait between attempts to reconnect (default: ${DEFAULT-VALUE}).")
    public double reconnectMaxSeconds;

    @Option(names = "--reconnect-attempts", paramLabel = "N", defaultValue = "0",
            description = "Give up (exit 1) after N failed attempts to reconnect; 0: never (default: ${DEFAULT-VALUE}).")
    public int reconnectAttempts;

    public Duration timeout() {
        return Duration.ofSeconds(Math.max(1, timeoutSeconds));
    }

    public Duration connectTimeout() {
        return seconds(connectTimeoutSeconds, "--connect-timeout", 0.001);
    }

    /** Null when off. */
    public Duration readTimeout() {
        return readTimeoutSeconds == 0 ? null : seconds(readTimeoutSeconds, "--read-timeout", 0.01);
    }

    public Backoff backoff() {
        Duration initial = seconds(reconnectInitialSeconds, "--reconnect-initial", 0.001);
        Duration max = seconds(reconnectMaxSeconds, "--reconnect-max", 0.001);
        if (max.compareTo(initial) < 0 || reconnectAttempts < 0) {
            throw new LaunchException(LaunchException.CONFIGURATION, "--reconnect-max must be at least --reconnect-initial,"
                    + " and --reconnect-attempts at least 0", null);
        }
        return new Backoff(initial, max, reconnectAttempts);
    }

    private static Duration seconds(double value, String option, double least) {
        if (!(value >= least) || value > 86_400) {
            throw new LaunchException(LaunchException.CONFIGURATION, option + " must be from " + least
                    + " to 86400 seconds, got " + value, null);
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    /** The {@code --fallback} servers; a malformed one ends the command (exit 2). */
    public List<InetSocketAddress> fallbackAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hostPort : fallbacks) {
            int colon = hostPort.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new LaunchException(LaunchException.CONFIGURATION, "--fallback wants HOST:PORT with a port from"
                        + " 1 to 65535, e.g. --fallback 10.0.0.2:7878; got '" + hostPort + "'", null);
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // [::1]:7878
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }

    /** The TLS choice the options describe; a contradiction or an unreadable truststore ends the command (exit 2). */
    public Tls tlsChoice() {
        if (!tls) {
            if (truststore != null || insecure) {
                throw new LaunchException(LaunchException.CONFIGURATION,
                        (insecure ? "--insecure" : "--truststore") + " only applies with --tls", null);
            }
            return Tls.none();
        }
        if (insecure && truststore != null) {
            throw new LaunchException(LaunchException.CONFIGURATION,
                    "--insecure and --truststore contradict each other: choose one", null);
        }
        if (insecure) {
            System.err.println("parley: --insecure: the server's certificate is not checked; anyone in between"
                    + " can read and change this connection");
            return Tls.insecure();
        }
        if (truststore == null) {
            return Tls.systemTrust();
        }
        String password = System.getenv("PARLEY_TRUSTSTORE_PASSWORD");
        try {
            return Tls.truststore(truststore, password == null ? null : password.toCharArray());
        } catch (IllegalArgumentException e) {
            throw new LaunchException(LaunchException.CONFIGURATION, "--truststore " + truststore + ": "
                    + e.getMessage(), e);
        }
    }

    /** Connects once, without reconnecting; a failure ends the command with one line on stderr and exit code 1. */
    public ParleyConnection connect(ConnectionListener listener) {
        try {
            return ParleyConnection.open(host, port, tlsChoice(), connectTimeout(), readTimeout(), listener);
        } catch (ConnectionException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
        }
    }

    /**
     * Connects through a {@link ReconnectingLink}: the first connection must succeed (else exit 1); later
     * breaks are repaired on the {@code --reconnect-*} schedule.
     */
    public ReconnectingLink connectReconnecting(ConnectionListener listener) {
        try {
            return ReconnectingLink.open(host, port, fallbackAddresses(), tlsChoice(), connectTimeout(), readTimeout(),
                    backoff(), listener);
        } catch (ConnectionException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getMessage(), e);
        }
    }

    /** Sends a command and waits for its reply; a lost connection or no answer ends the command (exit 1). */
    public Reply await(ParleyLink link, Frame command) {
        return await(link, command, DataLines.none());
    }

    /** {@link #await(ParleyLink, Frame)} for a command with data lines. */
    public Reply await(ParleyLink link, Frame command, DataLines dataLines) {
        try {
            return Answers.await(link, link.request(command, dataLines), timeout());
        } catch (ExecutionException e) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "no answer to " + command.verb() + " within "
                    + timeout().toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "interrupted", e);
        }
    }

    /**
     * With {@code --account}, reads its password before anything else uses the terminal or stdin: from
     * {@value #PASSWORD_VARIABLE}, the terminal without echo, or the first line of {@code stdin} (read byte by
     * byte, so the rest of stdin stays for the command). No password ends the command (exit 2).
     */
    public void readPassword(InputStream stdin) {
        if (account == null) {
            return;
        }
        if (unusableNick(account).isPresent()) {
            throw new LaunchException(LaunchException.CONFIGURATION, "--account wants one word: an account name", null);
        }
        String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            password = fromEnvironment.toCharArray();
        } else if (Consoles.isTerminal()) {
            password = System.console().readPassword("Password for %s: ", account);
        } else {
            password = firstLine(stdin);
        }
        if (password == null || password.length == 0) {
            throw new LaunchException(LaunchException.CONFIGURATION, "--account " + account + " needs a password: set "
                    + PASSWORD_VARIABLE + ", type it at the terminal, or give it as the first line of stdin", null);
        }
    }

    private static char[] firstLine(InputStream stdin) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            for (int b = stdin.read(); b >= 0 && b != '\n'; b = stdin.read()) {
                line.write(b);
            }
        } catch (IOException e) {
            return new char[0];
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return (text.endsWith("\r") ? text.substring(0, text.length() - 1) : text).toCharArray();
    }

    /**
     * With {@code --account}, authenticates as it ({@code AUTH}, kept by a {@link ReconnectingLink} for
     * reconnections); a refusal ends the command (exit 1) with one line.
     */
    public void login(ParleyLink link) {
        if (account == null) {
            return;
        }
        if (password == null) {
            readPassword(System.in);
        }
        Reply reply = await(link, Frame.of("AUTH").param(account).trailing(new String(password)).build());
        java.util.Arrays.fill(password, '\0');
        if (!reply.ok()) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot log in as '"
                    + dev.parley.launcher.client.display.SafeText.escape(account) + "': " + reply.sentence(), null);
        }
    }

    /**
     * Logs in with {@code --account} if given, then registers {@link #nick}; a refusal ends the command (exit 1)
     * with the server's sentence.
     *
     * @return the nick as the server shows it
     */
    public String register(ParleyLink link) {
        login(link);
        Reply reply = await(link, Frame.of("NICK").param(nick).build());
        if (!reply.ok()) {
            link.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot use the nick '"
                    + dev.parley.launcher.client.display.SafeText.escape(nick) + "': " + reply.sentence(), null);
        }
        return reply.results().isEmpty() ? nick : reply.results().get(0);
    }

    /** Ends the command (exit 1) unless the server runs the plugin. */
    public void requirePlugin(ParleyLink connection, String plugin) {
        if (!connection.hello().runs(plugin)) {
            connection.close();
            throw new LaunchException(LaunchException.ENVIRONMENT, "the server at " + host + ":" + port
                    + " does not run the " + plugin + " plugin (it runs: "
                    + String.join(", ", connection.hello().plugins()) + ")", null);
        }
    }
}

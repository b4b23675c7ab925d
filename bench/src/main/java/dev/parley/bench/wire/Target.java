package dev.parley.bench.wire;

import java.util.Locale;

/** The server a scenario runs against, and so the protocol spoken to it. */
public enum Target {
    PARLEY(7878) {
        @Override
        public Dialect dialect() {
            return new ParleyDialect();
        }
    },
    NATS(4222) {
        @Override
        public Dialect dialect() {
            return new NatsDialect();
        }
    },
    IRC(6667) {
        @Override
        public Dialect dialect() {
            return new IrcDialect();
        }
    };

    private final int defaultPort;

    Target(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public abstract Dialect dialect();

    /** Parses {@code parley}, {@code nats} or {@code irc}, in any case. */
    public static Target parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target '" + name + "': use parley, nats or irc");
        }
    }
}

package dev.parley.launcher.client.example;

import dev.parley.client.Backoff;
import dev.parley.client.ConnectionException;
import dev.parley.client.ConnectionListener;
import dev.parley.client.ParleyLink;
import dev.parley.client.ReconnectingLink;
import dev.parley.client.Reply;
import dev.parley.core.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Answers "!ping" in a room with "pong", and goes on doing so after its connection breaks. */
public final class PingBot implements ConnectionListener, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String room;
    private volatile ParleyLink link;

    private PingBot(String room) {
        this.room = room;
    }

    /** Connects, takes the nick and joins the room; throws when any of it is refused. */
    public static PingBot start(String host, int port, String nick, String room) throws Exception {
        PingBot bot = new PingBot(room);
        // Reconnect after 0.2 s, 0.4 s, ... up to 30 s between attempts, and give up after 20 in a row.
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 20);
        // A server silent for 60 s (it is pinged after 20 s) counts as gone: the link reconnects.
        bot.link = ReconnectingLink.open(host, port, TIMEOUT, Duration.ofSeconds(60), backoff, bot);
        bot.expectOk(bot.link, Frame.of("NICK").param(nick).build());
        bot.expectOk(bot.link, Frame.of("JOIN").param(room).build());
        return bot;
    }

    /** Events arrive one at a time on the connection's dispatch thread; requests never block. */
    @Override
    public void event(Frame event) {
        // MSG <#room> <nick> :<text>
        if (event.verb().equals("MSG") && event.param(0).equals(room) && "!ping".equals(event.trailing())) {
            link.request(Frame.of("SAY").param(room).trailing("pong, " + event.param(1)).build());
        }
    }

    /** The link took the session back with RESUME: the rooms are still ours, missed MSGs were delivered. */
    @Override
    public void resumed() {
        System.out.println("resumed");
    }

    /** RESUME was refused (the server restarted): the link registered the nick again; join the room again. */
    @Override
    public void reregistered(ParleyLink fresh, String nick) throws ConnectionException {
        expectOk(fresh, Frame.of("JOIN").param(room).build());
    }

    @Override
    public void closed(ConnectionException cause) {
        if (cause != null) {
            System.err.println(cause.getMessage()); // e.g. gave up reconnecting, as a sentence
        }
    }

    private void expectOk(ParleyLink on, Frame command) throws ConnectionException {
        Reply reply;
        try {
            reply = on.request(command).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ConnectionException c ? c
                    : new ConnectionException(command.verb() + " failed", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new ConnectionException(command.verb() + " got no answer", e);
        }
        if (!reply.ok()) {
            throw new ConnectionException(command.verb() + " refused: " + reply.sentence());
        }
    }

    /** Says goodbye: QUIT, and waits for the replies of everything sent before it. */
    @Override
    public void close() {
        link.quit("bye", TIMEOUT);
    }

    public static void main(String[] args) throws Exception {
        try (PingBot bot = start(args[0], Integer.parseInt(args[1]), "pingbot", "#lobby")) {
            bot.link.closed().join(); // runs until the link gives up or the process is stopped
        }
    }
}

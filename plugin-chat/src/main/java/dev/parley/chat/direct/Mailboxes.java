package dev.parley.chat.direct;

import dev.parley.chat.room.Members;
import dev.parley.core.spi.Session;
import dev.parley.core.spi.SessionListener;
import dev.parley.core.spi.store.StoreUnavailableException;
import dev.parley.core.spi.store.StoredMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an account the private messages left for it while it was offline, once its session is both
 * authenticated and has a nick (whichever comes second: {@code AUTH} or {@code NICK}): oldest first, as ordinary
 * events (numbered for resumption), then forgets them in the store.
 */
public final class Mailboxes implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(Mailboxes.class);

    private final DirectMessages direct;
    private final Members nicks;

    public Mailboxes(DirectMessages direct, Members nicks) {
        this.direct = direct;
        this.nicks = nicks;
    }

    @Override
    public void sessionAuthenticated(Session session) {
        deliver(session);
    }

    /** Delivers the waiting messages if the session is authenticated and has a nick; call after NICK too. */
    public void deliver(Session session) {
        if (session.account().isEmpty() || nicks.of(session).isEmpty()) {
            return;
        }
        String account = session.account().get();
        try {
            List<StoredMessage> waiting = direct.waiting(account);
            if (waiting.isEmpty()) {
                return;
            }
            for (StoredMessage message : waiting) {
                session.send(DirectMessages.whisper(message));
            }
            direct.delivered(account, waiting.get(waiting.size() - 1));
        } catch (StoreUnavailableException e) {
            // They stay in the mailbox and arrive at the account's next login.
            log.warn("could not hand {} its stored messages: {}", session, e.getMessage());
        }
    }
}

package dev.parley.chat.room;

import dev.parley.core.spi.Session;
import java.util.Optional;

/** Finds the member behind a session; the nick registry provides it, so rooms need not know about nicks. */
@FunctionalInterface
public interface Members {

    /** The member for a session that chose a nick, or empty. */
    Optional<Member> of(Session session);
}

package dev.parley.core.spi;

import dev.parley.core.spi.store.AccountStore.Ban;
import java.time.Duration;
import java.util.List;

/**
 * Rooms' bans, for plugins other than the one that enforces them (the web module's admin API), with the very
 * effects of the {@code BAN} and {@code UNBAN} commands. The plugin that moderates rooms (chat) provides it with
 * {@link PluginContext#provide}; others find it with {@link PluginContext#lookup} when answering. Rooms are named
 * as clients name them ({@code #club}); targets are {@code account:<name>}, {@code nick:<nick>} or
 * {@code addr:<ip>[/<bits>]}, or a bare name (an account's when one has it, else a nick). Methods may block
 * briefly on the store: callers are worker threads.
 *
 * <p>Failures: {@link IllegalArgumentException} with a message for people (a malformed room, target or reason;
 * the room's owner as the target); {@link IllegalStateException} when the server keeps no moderation state (no
 * account store); {@link dev.parley.core.spi.store.StoreUnavailableException} when the store cannot serve now.
 *
 * @since SPI 1.4
 */
public interface RoomBans {

    /** The room's bans in force (expired ones left out), oldest first. */
    List<Ban> bans(String room);

    /**
     * Bans the target from the room, replacing a ban on the same target: members it covers are removed from the
     * room, and the members are told ({@code BANNED}).
     *
     * @param by       who banned, as the members are told
     * @param duration how long the ban holds; {@link Duration#ZERO} until it is lifted
     * @param reason   free text, possibly empty
     * @return the ban as kept (its target in canonical form)
     */
    Ban ban(String room, String target, String by, Duration duration, String reason);

    /** Lifts the ban on the target; false when the room has none on it. */
    boolean unban(String room, String target);
}

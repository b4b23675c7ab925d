package dev.parley.chat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.URL;

/**
 * The chat plugin's settings, read once at start-up from {@code parley.chat} (see this module's
 * reference.conf for what each means).
 *
 * @param historyPage        HISTORY's default and largest count of messages per page
 * @param maxRoomsPerSession rooms one session may be in at once
 * @param maxMessageBytes    longest SAY, TELL or TOPIC text, in UTF-8 bytes
 */
public record ChatSettings(int historyPage, int maxRoomsPerSession, int maxMessageBytes) {

    /** The largest HISTORY page: one answer is written while its session's next command waits. */
    public static final int MAX_HISTORY_PAGE = 1000;

    /** What replaced {@code history-size}, for a configuration that still sets it. */
    static final String HISTORY_SIZE_RETIRED = "parley.chat.history-size is no longer a setting; history is kept"
            + " in the message store now: HISTORY's page size is parley.chat.history-page and how long history"
            + " lasts is parley.store.retention.* (max-age, max-messages-per-room)";

    public ChatSettings {
        require(historyPage >= 1 && historyPage <= MAX_HISTORY_PAGE,
                "parley.chat.history-page must be from 1 to " + MAX_HISTORY_PAGE);
        require(maxRoomsPerSession >= 1, "parley.chat.max-rooms-per-session must be at least 1");
        require(maxMessageBytes >= 1 && maxMessageBytes <= 1024 * 1024,
                "parley.chat.max-message-bytes must be from 1 byte to 1 MiB");
    }

    /**
     * This module's own reference.conf, parsed once: {@code parseResources} parses and merges every module's
     * (a tenth of the server's start when every plugin does it). On a class path, where the
     * name may find another module's file first, every module's is parsed.
     */
    private static final Config REFERENCE = ownReference();

    private static Config ownReference() {
        URL own = ChatSettings.class.getResource("/reference.conf");
        Config parsed = own == null ? ConfigFactory.empty() : ConfigFactory.parseURL(own);
        return (parsed.hasPath("parley.chat") ? parsed : ConfigFactory.parseResources(ChatSettings.class, "/reference.conf"))
                .getConfig("parley.chat");
    }

    /** The defaults, as reference.conf has them. */
    public static final ChatSettings DEFAULTS = from(ConfigFactory.empty());

    /** The section over this module's reference.conf defaults, for chat's other settings records. */
    public static Config withDefaults(Config section) {
        return section.withFallback(REFERENCE);
    }

    /**
     * Reads the plugin's section ({@code parley.chat}), filling gaps from reference.conf.
     *
     * @throws IllegalArgumentException naming the key, when a value is missing, mistyped or out of range
     */
    public static ChatSettings from(Config section) {
        Config reference = REFERENCE;
        require(!section.hasPath("history-size"), HISTORY_SIZE_RETIRED);
        for (String key : section.entrySet().stream().map(e -> e.getKey()).sorted().toList()) {
            require(reference.hasPath(key), "parley.chat." + key + " is not a chat setting; the settings are "
                    + String.join(", ", reference.root().keySet().stream().sorted().toList()));
        }
        Config config = section.withFallback(reference);
        try {
            config.checkValid(reference);
            long maxMessageBytes = config.getBytes("max-message-bytes");
            require(maxMessageBytes <= Integer.MAX_VALUE, "parley.chat.max-message-bytes must be from 1 byte to 1 MiB");
            return new ChatSettings(config.getInt("history-page"), config.getInt("max-rooms-per-session"),
                    (int) maxMessageBytes);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad chat setting under parley.chat: " + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

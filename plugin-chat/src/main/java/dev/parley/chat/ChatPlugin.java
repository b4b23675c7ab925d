package dev.parley.chat;

import dev.parley.core.spi.ParleyPlugin;

/** The chat plugin. */
public final class ChatPlugin implements ParleyPlugin {
    @Override
    public String name() {
        return "chat";
    }
}

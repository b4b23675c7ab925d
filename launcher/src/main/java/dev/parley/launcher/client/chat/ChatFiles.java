package dev.parley.launcher.client.chat;

import java.util.Optional;

/** The file commands of {@code parley chat}: {@code /send}, {@code /files}, {@code /get}. */
interface ChatFiles {

    void send(String target, String path);

    void list();

    void get(String fileId, Optional<String> dir);
}

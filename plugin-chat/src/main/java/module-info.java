/** The chat plugin. */
module dev.parley.chat {
    requires dev.parley.core;
    requires org.slf4j;
    requires com.ibm.icu;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.chat.ChatPlugin;
}

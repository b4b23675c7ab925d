/**
 * The plugin SPI: everything a Parley plugin sees of the server.
 *
 * <p>A plugin is a {@link dev.parley.core.spi.ParleyPlugin} found with {@link java.util.ServiceLoader}
 * ({@code provides dev.parley.core.spi.ParleyPlugin with ...} in its module-info). The server calls
 * {@link dev.parley.core.spi.ParleyPlugin#start start} with a {@link dev.parley.core.spi.PluginContext},
 * then asks for its {@link dev.parley.core.spi.Command commands}; each command's
 * {@link dev.parley.core.spi.CommandHandler handler} answers a {@link dev.parley.core.spi.Request} with a
 * {@link dev.parley.core.spi.Reply}. Handlers run on worker threads, never on I/O threads, one command of a
 * session at a time: the next command of the same session starts only once the previous one's final reply
 * has been written, so replies and data lines of a session never interleave.
 */
package dev.parley.core.spi;

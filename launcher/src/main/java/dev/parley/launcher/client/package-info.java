/**
 * The client side of the {@code parley} command: {@code parley chat}, {@code parley send} and
 * {@code parley receive}.
 *
 * <p>The protocol (connection, ordered replies, events, reconnect and {@code RESUME}, upload and download) is
 * the client library, module {@code dev.parley.client}; these packages are the command line on top of it.
 *
 * <ul>
 *   <li>{@code display}: text from the network made safe for a terminal; byte sizes.</li>
 *   <li>{@code files}: the send/receive commands, the progress bar, and the record of files already received.</li>
 *   <li>{@code chat}: input parsing, formatting, the session state and the chat command (JLine on a terminal,
 *       plain lines otherwise).</li>
 * </ul>
 *
 * <p>Exit codes of every client command: 0 done; 1 cannot connect, gave up reconnecting, nick refused, or (send)
 * a file refused; 2 bad usage. Server refusals during a chat are printed ({@code ! ...}) and do not change
 * the exit code.
 */
package dev.parley.launcher.client;

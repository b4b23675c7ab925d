/**
 * The client side of the {@code parley} command: {@code parley chat}, {@code parley send} and
 * {@code parley receive}.
 *
 * <ul>
 *   <li>{@code connection}: a small client library over {@code MinaClient}. {@code ParleyConnection} tags each
 *       command {@code @id=cN}, matches its final reply (by order when a reply has no id), hands data lines to
 *       the command expecting them and everything else to a listener on its own dispatch thread; it answers
 *       the heartbeat's {@code PING}. Commands depend on the {@code ParleyLink} interface only;
 *       {@code ReconnectingLink} replaces a broken connection on a back-off schedule and takes the session
 *       back ({@code RESUME}, or {@code NICK} anew after a server restart); chat, send and receive use it.</li>
 *   <li>{@code display}: text from the network made safe for a terminal; byte sizes.</li>
 *   <li>{@code files}: upload (SHA-256, OFFER, windowed CHUNKs), download (FETCH to a temporary file, verify,
 *       publish under a sanitised name that never replaces a file), progress, and the send/receive commands.</li>
 *   <li>{@code chat}: input parsing, formatting, the session state and the chat command (JLine on a terminal,
 *       plain lines otherwise).</li>
 * </ul>
 *
 * <p>Exit codes of every client command: 0 done; 1 cannot connect, gave up reconnecting, nick refused, or (send)
 * a file refused; 2 bad usage. Server refusals during a chat are printed ({@code ! ...}) and do not change
 * the exit code.
 */
package dev.parley.launcher.client;

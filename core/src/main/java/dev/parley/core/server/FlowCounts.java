package dev.parley.core.server;

/**
 * Flow-control counters since the server (or the session) started; see docs/protocol.md, "Flow control".
 *
 * @param stalls              commands that waited because a recipient was above {@code flow-high-water}
 * @param stalledNanos        time those commands waited, in total
 * @param pauses              times a session stopped running its own commands because its client did not
 *                            read its answers (its output was above {@code flow-high-water})
 * @param slowConsumerCutOffs connections cut off with {@code BYE SLOW_CONSUMER} for their own unread output
 *                            ({@code max-pending-bytes} or {@code slow-consumer-timeout})
 * @param budgetCutOffs       connections cut off because the server was over {@code max-total-pending-bytes}
 */
public record FlowCounts(long stalls, long stalledNanos, long pauses, long slowConsumerCutOffs, long budgetCutOffs) {
}

package dev.parley.bench.scenario;

import dev.parley.bench.report.Stamp;

/**
 * The shape of a chat load: {@code rooms} rooms of {@code members} members each, {@code publishers} of whom
 * (per room) publish messages of {@code messageBytes} bytes, each keeping at most {@code window} messages
 * unacknowledged, optionally paced to {@code ratePerPublisher} messages per second (0: as fast as the window
 * allows). Publishers are members: a message reaches the room's other {@code members - 1}.
 */
public record ChatPlan(int rooms, int members, int publishers, int messageBytes, int window, double ratePerPublisher) {
    public static final int MAX_MESSAGE_BYTES = 1900;

    public ChatPlan {
        if (rooms < 1 || rooms > 10_000) {
            throw new IllegalArgumentException("rooms must be 1-10000: " + rooms);
        }
        if (members < 2 || members > 20_000) {
            throw new IllegalArgumentException("members per room must be 2-20000 (someone must receive): " + members);
        }
        if (publishers < 1 || publishers > members) {
            throw new IllegalArgumentException("publishers must be 1 to the number of members (" + members + "): " + publishers);
        }
        if ((long) rooms * members > 20_000) {
            throw new IllegalArgumentException("at most 20000 connections: rooms x members = " + (long) rooms * members);
        }
        if (messageBytes < Stamp.MIN_SIZE || messageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message size must be " + Stamp.MIN_SIZE + "-" + MAX_MESSAGE_BYTES
                    + " bytes (it carries the send time; Parley allows 2000): " + messageBytes);
        }
        if (window < 1 || window > 10_000) {
            throw new IllegalArgumentException("window must be 1-10000 messages: " + window);
        }
        if (ratePerPublisher < 0 || Double.isNaN(ratePerPublisher)) {
            throw new IllegalArgumentException("rate must be 0 (unpaced) or positive: " + ratePerPublisher);
        }
    }

    public int connections() {
        return rooms * members;
    }
}

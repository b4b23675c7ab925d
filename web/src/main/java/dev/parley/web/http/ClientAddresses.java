package dev.parley.web.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Decides a request's client address: the peer, unless the peer is a trusted proxy, in which case the
 * right-most {@code X-Forwarded-For} entry that is not a trusted proxy. Entries left of it were written by the
 * client or untrusted hops and are never believed.
 */
public final class ClientAddresses {
    private final List<AddressBlock> trusted;

    public ClientAddresses(List<AddressBlock> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * @param peer          the address the TCP connection came from
     * @param forwardedFor  every X-Forwarded-For header value, in order (may be empty)
     */
    public SocketAddress clientOf(SocketAddress peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || !(peer instanceof InetSocketAddress inet) || !isTrusted(inet.getAddress())) {
            return peer;
        }
        InetAddress client = null;
        outer:
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] hops = forwardedFor.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = AddressBlock.address(hops[i]);
                if (hop == null) {
                    break outer; // garbage: nothing left of it can be trusted either
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break outer;
                }
            }
        }
        return client == null ? peer : new InetSocketAddress(client, 0);
    }

    private boolean isTrusted(InetAddress address) {
        for (AddressBlock block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}

package dev.parley.transport.mina;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key the per-address connection limit counts by. An IPv4 client holds one address, but an IPv6 client
 * usually holds a whole /64 (SLAAC, privacy addresses) and can open each connection from another address of
 * it, so IPv6 addresses are cut to their leading {@code prefixLength} bits, as ergo and other IRC servers do.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) count as their IPv4 address.
 */
final class AddressPrefix {
    private AddressPrefix() {
    }

    /** The address with every bit after the first {@code prefixLength} cleared; IPv4 addresses unchanged. */
    static InetAddress of(InetAddress address, int prefixLength) {
        if (address == null || address instanceof Inet4Address || prefixLength >= 128) {
            return address;
        }
        byte[] bytes = address.getAddress();
        if (isIpv4Mapped(bytes)) {
            return address; // Java already hands these over as Inet4Address; kept for any other source
        }
        for (int bit = prefixLength; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            // No scope id: the same /64 reached through two interfaces is still one network.
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}

package dev.parley.web.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address or a CIDR block ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}) of trusted proxies. Parsed
 * without name lookups: only literal addresses are accepted.
 */
public record AddressBlock(byte[] network, int prefixBits) {

    /**
     * @param key the configuration key, named in the error
     * @throws IllegalArgumentException when the text is no literal address or the prefix does not fit it
     */
    public static AddressBlock parse(String text, String key) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not an IP address or CIDR block");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException(key + ": '" + text + "' has a bad prefix length");
            }
        }
        return new AddressBlock(bytes, bits);
    }

    /** True when the address lies in this block (an IPv4 address never matches an IPv6 block, and back). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null when the text is not one (never a DNS lookup). */
    static byte[] literal(String text) {
        if (text.isEmpty() || !(text.matches("[0-9.]+") || text.matches("[0-9A-Fa-f:.]+") && text.contains(":"))) {
            return null;
        }
        if (text.matches("[0-9.]+") && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A literal address, or null; for X-Forwarded-For entries, which may be garbage. */
    public static InetAddress address(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.contains("]")) {
            t = t.substring(1, t.indexOf(']'));
        }
        byte[] bytes = literal(t);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}

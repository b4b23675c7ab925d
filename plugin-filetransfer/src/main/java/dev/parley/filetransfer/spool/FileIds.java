package dev.parley.filetransfer.spool;

import java.security.SecureRandom;

/** Unguessable file ids: 128 random bits as 26 lower-case base32 characters, also safe as file names. */
final class FileIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileIds() {
    }

    static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        StringBuilder sb = new StringBuilder(26);
        int buffer = 0;
        int count = 0;
        for (byte b : bits) {
            buffer = buffer << 8 | b & 0xff;
            count += 8;
            while (count >= 5) {
                sb.append(ALPHABET[buffer >>> count - 5 & 31]);
                count -= 5;
            }
        }
        if (count > 0) {
            sb.append(ALPHABET[buffer << 5 - count & 31]);
        }
        return sb.toString();
    }

    /** True for strings that could be an id; anything else is never looked up, let alone used as a path. */
    static boolean isWellFormed(String id) {
        if (id == null || id.length() != 26) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '2' && c <= '7')) {
                return false;
            }
        }
        return true;
    }
}

package dev.parley.auth.password;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, slow password hash in a self-describing text form:
 * {@code pbkdf2-sha256$<iterations>$<salt-base64>$<hash-base64>} (standard base64 with padding). PBKDF2 with
 * HMAC-SHA256 from the JDK; a random 16-byte salt per hash, so one password never hashes the same twice.
 * Immutable and thread-safe.
 */
public final class PasswordHash {
    /** The scheme tag, the text's first field. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Iterations of new hashes: OWASP's minimum for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet). */
    public static final int MIN_ITERATIONS = 210_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Parsing refuses more, so a hostile config cannot stall start-up or AUTH for hours. */
    static final int MAX_ITERATIONS = 100_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes a password with a fresh random salt and {@link #MIN_ITERATIONS}. */
    public static PasswordHash create(char[] password) {
        return create(password, MIN_ITERATIONS);
    }

    /**
     * Hashes a password with a fresh random salt.
     *
     * @throws IllegalArgumentException when the password is empty or iterations out of range
     */
    public static PasswordHash create(char[] password, int iterations) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException saying what is wrong (never repeating the text)
     */
    public static PasswordHash parse(String text) {
        String[] fields = text.split("\\$", -1);
        if (fields.length != 4 || !fields[0].equals(SCHEME)) {
            throw new IllegalArgumentException("expected " + SCHEME + "$<iterations>$<salt>$<hash>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(fields[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iterations are not a whole number");
        }
        checkIterations(iterations);
        byte[] salt = decode(fields[2], "salt");
        byte[] hash = decode(fields[3], "hash");
        if (salt.length < SALT_BYTES) {
            throw new IllegalArgumentException("the salt is " + salt.length + " bytes; at least " + SALT_BYTES);
        }
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("the hash is " + hash.length + " bytes; expected " + HASH_BYTES);
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** True when the password is the one hashed; compares in time independent of where they differ. */
    public boolean verify(char[] password) {
        return MessageDigest.isEqual(derive(password, salt, iterations), hash);
    }

    /** The same, for a password as it came off the wire. */
    public boolean verify(String password) {
        char[] chars = password.toCharArray();
        try {
            return verify(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public int iterations() {
        return iterations;
    }

    /** The text form, ready for {@code parley.auth.users}. */
    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static void checkIterations(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iterations must be from 1 to " + MAX_ITERATIONS);
        }
    }

    private static byte[] decode(String b64, String what) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        // An empty password cannot be hashed by the JDK's PBKDF2 (PBEKeySpec refuses it); it never matches.
        char[] input = password.length == 0 ? new char[] {'\0'} : password;
        PBEKeySpec spec = new PBEKeySpec(input, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}

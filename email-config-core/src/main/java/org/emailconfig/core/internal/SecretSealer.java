package org.emailconfig.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;

/**
 * Seals secrets before they reach a store: AES-256-GCM with a random 96-bit nonce per value, the type
 * and field name as associated data (so a sealed value cannot be moved to another field). Sealed text
 * is {@code v1:} + base64(nonce + ciphertext + tag). The explicit opt-out writes {@code plain:} +
 * the value.
 */
public final class SecretSealer {

    private static final String SEALED = "v1:";
    private static final String PLAIN = "plain:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private SecretSealer(SecretKey key) {
        this.key = key;
    }

    /**
     * Seals with a raw 256-bit key.
     *
     * @param key 32 bytes
     * @return the sealer
     */
    public static SecretSealer withKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256), got " + key.length);
        }
        return new SecretSealer(new SecretKeySpec(key.clone(), "AES"));
    }

    /**
     * Seals with a random key that lives only as long as this object: for in-memory stores.
     *
     * @return the sealer
     */
    public static SecretSealer ephemeral() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return withKey(k);
    }

    /**
     * Does not seal: secrets are stored in clear, as the host explicitly asked.
     *
     * @return the pass-through sealer
     */
    public static SecretSealer unsealed() {
        return new SecretSealer(null);
    }

    /**
     * Reads a key file, creating it with a new random key readable by its owner only when missing.
     *
     * @param file the key file (base64 of 32 bytes)
     * @return the sealer
     */
    public static SecretSealer fromKeyFile(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                try {
                    PrivateFiles.createNew(file);
                    Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // Another node or thread created it first; use theirs.
                }
            }
            byte[] k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            return withKey(k);
        } catch (IOException | IllegalArgumentException e) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "Could not read or create the secret key file "
                    + file + " (" + e.getClass().getSimpleName() + ")", null, e);
        }
    }

    /**
     * Seals one secret.
     *
     * @param type   the configuration type (associated data)
     * @param field  the field name (associated data)
     * @param secret a value, never the keep marker
     * @return the sealed text
     */
    public String seal(String type, String field, Secret secret) {
        if (key == null) {
            return PLAIN + secret.reveal();
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(type, field));
            byte[] ct = c.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return SEALED + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens one sealed secret.
     *
     * @param type   the configuration type
     * @param field  the field name
     * @param sealed the sealed text
     * @return the secret
     * @throws EmailConfigException with {@link Reason#STORE_FAILURE} when the value was sealed with
     *                              another key or tampered with
     */
    public Secret unseal(String type, String field, String sealed) {
        if (sealed.startsWith(PLAIN)) {
            return Secret.of(sealed.substring(PLAIN.length()));
        }
        if (key == null || !sealed.startsWith(SEALED)) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field
                    + "' is sealed but no secret key is configured, or its format is unknown");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(aad(type, field));
            byte[] pt = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return Secret.of(new String(pt, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field
                    + "' cannot be opened: it was sealed with another secret key or altered. Enter it again and save.",
                    null, e);
        }
    }

    private static byte[] aad(String type, String field) {
        return (type + "/" + field).getBytes(StandardCharsets.UTF_8);
    }
}

package org.emailconfig.core.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Seals secrets before they reach a store: AES-256-GCM with a random 96-bit nonce per value.
 *
 * <p>Sealed text is {@code v2:<key id>:<guards>:<base64(nonce + ciphertext + tag)>}. The associated data
 * binds the value to its type, its field and the values of the fields that guard it (host, port, user,
 * encryption; tenant, client, endpoints ...): someone who can write the store but has no key cannot move
 * the secret to another field or send it to another server by editing a guard field, because the value
 * then no longer opens. {@code <guards>} lists each guard field with a short keyed MAC of its value, so a
 * refusal names the field that changed without revealing any value. The key id names the key that sealed
 * the value; older keys still open what they sealed until {@link #needsReseal resealing} completes a
 * rotation. Values sealed by earlier versions ({@code v1:}, type and field only) still open.
 *
 * <p>The explicit opt-out writes {@code plain:} + the value.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SecretSealer {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private static final String V1 = "v1:";
    private static final String V2 = "v2:";
    private static final String PLAIN = "plain:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int GUARD_MAC_BYTES = 8;

    private final List<SecretKey> keys;
    private final List<String> keyIds;
    private final List<String> warnings;
    private final SecureRandom random = new SecureRandom();

    private SecretSealer(List<byte[]> rawKeys, List<String> warnings) {
        List<SecretKey> k = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (byte[] raw : rawKeys) {
            if (raw.length != KeyFile.KEY_BYTES) {
                throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256), got " + raw.length);
            }
            k.add(new SecretKeySpec(raw.clone(), "AES"));
            ids.add(KeyFile.keyId(raw));
        }
        this.keys = List.copyOf(k);
        this.keyIds = List.copyOf(ids);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Seals with a raw 256-bit key; values sealed with the previous keys still open.
     *
     * @param key      32 bytes
     * @param previous older 32-byte keys, newest first
     * @return the sealer
     */
    public static SecretSealer withKeys(byte[] key, List<byte[]> previous) {
        List<byte[]> all = new ArrayList<>();
        all.add(key);
        all.addAll(previous);
        return new SecretSealer(all, List.of());
    }

    /**
     * Seals with a raw 256-bit key.
     *
     * @param key 32 bytes
     * @return the sealer
     */
    public static SecretSealer withKey(byte[] key) {
        return withKeys(key, List.of());
    }

    /**
     * Seals with a random key that lives only as long as this object: for in-memory stores.
     *
     * @return the sealer
     */
    public static SecretSealer ephemeral() {
        return withKey(KeyFile.randomKey());
    }

    /**
     * Does not seal: secrets are stored in clear, as the host explicitly asked.
     *
     * @return the pass-through sealer
     */
    public static SecretSealer unsealed() {
        return new SecretSealer(List.of(), List.of());
    }

    /**
     * Reads a key file, creating it with a new random key, readable by its owner only, when missing. The
     * file holds one base64 key per line (lines starting with {@code #} are comments): the first seals,
     * all open. A new file is written to a temporary file, forced to disk and renamed into place under a
     * lock, so a crash or a full disk never leaves a partial key and concurrent starts agree on one key.
     * A file that is empty or holds no valid key is replaced only when {@code sealedDataExists} says
     * nothing was sealed yet; otherwise it is an error naming the file, since a new key would make the
     * stored secrets unreadable.
     *
     * @param file             the key file
     * @param sealedDataExists whether the store holds values sealed with some key; called only when the
     *                         file is missing or damaged
     * @return the sealer
     * @throws EmailConfigException with {@link Reason#STORE_FAILURE} when the file cannot be read or created
     */
    public static SecretSealer fromKeyFile(Path file, BooleanSupplier sealedDataExists) {
        return fromKeyFile(file, sealedDataExists, KeyFile::writeFully);
    }

    static SecretSealer fromKeyFile(Path file, BooleanSupplier sealedDataExists, KeyFile.KeyWriter writer) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        try {
            return new SecretSealer(KeyFile.readOrCreate(absolute, sealedDataExists, writer),
                    KeyFile.permissionWarnings(absolute));
        } catch (IOException e) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "Could not read or create the secret key file "
                    + absolute + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()) + ")", "Check that the directory exists, is writable by the application "
                    + "and the disk is not full.", e);
        }
    }

    /**
     * Whether a stored value was sealed with a key (a new key would leave it unreadable), as opposed to stored
     * unsealed.
     *
     * @param stored a value as the store holds it
     * @return false for a value stored unsealed
     */
    public static boolean isSealed(String stored) {
        return !stored.startsWith(PLAIN);
    }

    /**
     * Problems with the key file's own safety, for the edit form.
     *
     * @return warnings, empty when there are none
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The id of the key that seals.
     *
     * @return 8 hex digits, or null when secrets are not sealed
     */
    public @Nullable String currentKeyId() {
        return keyIds.isEmpty() ? null : keyIds.get(0);
    }

    /**
     * Seals one secret, bound to the current values of the fields that guard it.
     *
     * @param type     the configuration type (associated data)
     * @param field    the field name (associated data)
     * @param secret   a value, never the keep marker
     * @param guards   the names of the fields whose change must make the secret unusable
     * @param settings the configuration's non-secret values; a guard without a value counts as ""
     * @return the sealed text
     */
    public String seal(String type, String field, Secret secret, List<String> guards, Map<String, String> settings) {
        if (keys.isEmpty()) {
            return PLAIN + secret.reveal();
        }
        Map<String, String> bound = new LinkedHashMap<>();
        guards.stream().distinct().sorted().forEach(g -> bound.put(g, settings.getOrDefault(g, "")));
        StringBuilder guardText = new StringBuilder();
        for (Map.Entry<String, String> g : bound.entrySet()) {
            guardText.append(guardText.length() == 0 ? "" : ",").append(g.getKey()).append('=')
                    .append(guardMac(keys.get(0), type, field, g.getKey(), g.getValue()));
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aadV2(type, field, keyIds.get(0), bound));
            byte[] ct = c.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return V2 + keyIds.get(0) + ":" + guardText + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens one sealed secret.
     *
     * @param type     the configuration type
     * @param field    the field name
     * @param sealed   the sealed text
     * @param settings the stored configuration's non-secret values (the guards' current values)
     * @return the secret
     * @throws EmailConfigException with {@link Reason#STORE_FAILURE} when a guard field changed since the
     *                              secret was entered (naming it), the value was sealed with a key this
     *                              sealer does not have, or it was altered
     */
    public Secret unseal(String type, String field, String sealed, Map<String, String> settings) {
        if (sealed.startsWith(PLAIN)) {
            return Secret.of(sealed.substring(PLAIN.length()));
        }
        if (keys.isEmpty()) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field
                    + "' is sealed, but the service was built to store secrets unsealed; give it the secret key");
        }
        if (sealed.startsWith(V1)) {
            return unsealV1(type, field, sealed);
        }
        String[] parts = sealed.startsWith(V2) ? sealed.substring(V2.length()).split(":", 3) : new String[0];
        if (parts.length != 3) {
            throw altered(field, null);
        }
        int k = keyIds.indexOf(parts[0]);
        if (k < 0) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field + "' was sealed with "
                    + "key " + parts[0] + ", which this service does not have (it has " + String.join(", ", keyIds)
                    + ")", "Give this node the key the other nodes use (the same key file on every node; during a "
                    + "key rotation keep the old key as a later line until the secrets were sealed again). Do not save "
                    + "from this node meanwhile: it would seal with its old key and strand the nodes that have the new one.",
                    null);
        }
        Map<String, String> bound = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        if (!parts[1].isEmpty()) {
            for (String g : parts[1].split(",")) {
                int eq = g.indexOf('=');
                if (eq <= 0) {
                    throw altered(field, null);
                }
                String name = g.substring(0, eq);
                String value = settings.getOrDefault(name, "");
                bound.put(name, value);
                if (!MessageDigest.isEqual(g.substring(eq + 1).getBytes(StandardCharsets.US_ASCII),
                        guardMac(keys.get(k), type, field, name, value).getBytes(StandardCharsets.US_ASCII))) {
                    changed.add(name);
                }
            }
        }
        if (!changed.isEmpty()) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field + "' was entered for "
                    + "other values of " + String.join(", ", changed) + " than the stored configuration now has, so it "
                    + "is not used: a secret is only ever sent where it was entered for",
                    "Someone changed " + String.join(", ", changed) + " in the store without entering the " + field
                            + " again. Check the stored configuration, then enter the " + field + " and save.", null);
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, keys.get(k), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(aadV2(type, field, keyIds.get(k), bound));
            return Secret.of(new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw altered(field, e);
        }
    }

    /**
     * Whether a sealed value should be sealed again with the current key (a rotation is under way, or it
     * predates guard binding).
     *
     * @param sealed the sealed text
     * @return true when it is not sealed with the current key in the current format
     */
    public boolean needsReseal(String sealed) {
        return !keys.isEmpty() && !sealed.startsWith(V2 + keyIds.get(0) + ":");
    }

    private Secret unsealV1(String type, String field, String sealed) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.substring(V1.length()));
        } catch (IllegalArgumentException e) {
            throw altered(field, e);
        }
        GeneralSecurityException last = null;
        for (SecretKey key : keys) {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
                c.updateAAD((type + "/" + field).getBytes(StandardCharsets.UTF_8));
                return Secret.of(new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw altered(field, last);
    }

    private static EmailConfigException altered(String field, @Nullable Exception cause) {
        return new EmailConfigException(Reason.STORE_FAILURE, "The stored secret '" + field
                + "' cannot be opened: it was sealed with another secret key or altered. Enter it again and save.",
                cause);
    }

    private static byte[] aadV2(String type, String field, String keyId, Map<String, String> bound) {
        StringBuilder b = new StringBuilder("v2\0").append(keyId).append('\0');
        appendLengthPrefixed(b, type);
        appendLengthPrefixed(b, field);
        bound.forEach((name, value) -> {
            appendLengthPrefixed(b, name);
            appendLengthPrefixed(b, value);
        });
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendLengthPrefixed(StringBuilder b, String s) {
        b.append(s.length()).append(':').append(s).append(';');
    }

    /** A keyed MAC of one guard value: says which guard changed, and nothing about any value. */
    private static String guardMac(SecretKey key, String type, String field, String guard, String value) {
        try {
            // A key of its own for the MAC, derived from the sealing key, so no key serves two algorithms.
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] macKey = derive.doFinal("email-config guard mac key".getBytes(StandardCharsets.US_ASCII));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            StringBuilder b = new StringBuilder("email-config guard\0");
            appendLengthPrefixed(b, type);
            appendLengthPrefixed(b, field);
            appendLengthPrefixed(b, guard);
            appendLengthPrefixed(b, value);
            byte[] full = mac.doFinal(b.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, GUARD_MAC_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}

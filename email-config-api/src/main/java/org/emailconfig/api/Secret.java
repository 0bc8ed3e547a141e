package org.emailconfig.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A password, client secret or access token. {@link #toString()} never shows the value, so any record
 * or exception that holds a {@code Secret} cannot print it by accident; the value is only available
 * through the explicit {@link #reveal()}.
 *
 * <p>{@link #keep()} is a marker for edit forms: the administrator left the secret field blank, so the
 * stored value stays. A configuration in force never holds the marker.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Secret {

    private static final Secret KEEP = new Secret(null);

    private final @Nullable String value;

    private Secret(@Nullable String value) {
        this.value = value;
    }

    /**
     * A secret value.
     *
     * @param value the value, never null or empty
     * @return the secret
     * @throws IllegalArgumentException if the value is empty
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty; use Secret.keep() to keep the stored one");
        }
        return new Secret(value);
    }

    /**
     * What an edit form submitted: blank or null means "keep the stored secret".
     *
     * @param formValue the submitted text, may be null
     * @return {@link #keep()} for null or blank input, otherwise the secret
     */
    public static Secret fromForm(@Nullable String formValue) {
        return formValue == null || formValue.isBlank() ? KEEP : new Secret(formValue);
    }

    /**
     * The marker for "leave the stored secret unchanged".
     *
     * @return the shared marker instance
     */
    public static Secret keep() {
        return KEEP;
    }

    /**
     * Whether this is the {@link #keep()} marker.
     *
     * @return true for the marker
     */
    public boolean isKeep() {
        return value == null;
    }

    /**
     * The secret value in clear. Call it only at the point of use (an AUTH command, a token request,
     * sealing for a store), never to log or display it.
     *
     * @return the value, never null
     * @throws IllegalStateException for the {@link #keep()} marker, which has no value
     */
    public String reveal() {
        if (value == null) {
            throw new IllegalStateException("the keep-stored-secret marker has no value");
        }
        return value;
    }

    /** Compares values in constant time, so equality checks do not leak timing information. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Secret other)) {
            return false;
        }
        if (value == null || other.value == null) {
            // Only the keep marker has no value: equal exactly when both are it.
            return value == null && other.value == null;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    /** A constant per kind, so the hash reveals nothing about the value. */
    @Override
    public int hashCode() {
        return value == null ? 0 : 1;
    }

    /** Always masked: {@code ******}, or {@code (keep stored)} for the marker. */
    @Override
    public String toString() {
        return value == null ? "(keep stored)" : "******";
    }
}

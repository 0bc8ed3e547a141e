package org.emailconfig.api;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Rules for authentication provider ids: lowercase letters, digits and hyphens, starting with a
 * letter, at most 40 characters. The ids of the built-in types are reserved.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ProviderIds {

    /** The ids of the types that ship with the library; no other provider may use them. */
    public static final Set<String> RESERVED = Set.of(PasswordSmtpConfiguration.TYPE, MicrosoftOAuthConfiguration.TYPE);

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private ProviderIds() {
    }

    /**
     * Whether an id is well formed.
     *
     * @param id may be null
     * @return true when it matches {@code [a-z][a-z0-9-]{0,39}}
     */
    public static boolean isValid(@Nullable String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Whether an id belongs to a built-in type.
     *
     * @param id any id, never null
     * @return true for the reserved ids
     * @throws NullPointerException naming the parameter, for null (an immutable set would throw a bare one)
     */
    public static boolean isReserved(String id) {
        return RESERVED.contains(Objects.requireNonNull(id, "id"));
    }

    /**
     * Returns the id if well formed.
     *
     * @param id the id
     * @return the id
     * @throws IllegalArgumentException if malformed
     */
    public static String requireValid(String id) {
        Objects.requireNonNull(id, "id");
        if (!isValid(id)) {
            throw new IllegalArgumentException("provider id '" + id
                    + "' is not valid: use lowercase letters, digits and hyphens, starting with a letter");
        }
        return id;
    }
}

package org.emailconfig.api;

import java.util.Objects;
import java.util.Set;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Rules for authentication provider ids: lowercase letters, digits and hyphens, starting with a
 * letter, at most 40 characters. The ids of the built-in types are reserved.
 *
 * @deprecated one word for one thing: the value is an authentication type everywhere else, so its rules moved
 *             to {@link AuthenticationType#isValid}, {@link AuthenticationType#isBuiltIn},
 *             {@link AuthenticationType#requireValid} and {@link AuthenticationType#BUILT_IN}
 */
@Deprecated(since = "0.3", forRemoval = true)
@API(status = API.Status.DEPRECATED, since = "0.3")
public final class ProviderIds {

    /** The ids of the types that ship with the library; no other provider may use them. */
    public static final Set<String> RESERVED = AuthenticationType.BUILT_IN;

    private ProviderIds() {
    }

    /**
     * Whether an id is well formed.
     *
     * @param id may be null
     * @return true when it matches {@code [a-z][a-z0-9-]{0,39}}
     */
    public static boolean isValid(@Nullable String id) {
        return AuthenticationType.isValid(id);
    }

    /**
     * Whether an id belongs to a built-in type.
     *
     * @param id any id, never null
     * @return true for the reserved ids
     * @throws NullPointerException naming the parameter, for null (an immutable set would throw a bare one)
     */
    public static boolean isReserved(String id) {
        return AuthenticationType.isBuiltIn(Objects.requireNonNull(id, "id"));
    }

    /**
     * Returns the id if well formed.
     *
     * @param id the id
     * @return the id
     * @throws IllegalArgumentException if malformed
     */
    public static String requireValid(String id) {
        return AuthenticationType.requireValid(Objects.requireNonNull(id, "id"));
    }
}

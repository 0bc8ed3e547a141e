package org.emailconfig.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * An installed authentication type as a form sees it, and the rules for the value that names a type: lowercase
 * letters, digits and hyphens, starting with a letter, at most 40 characters; the built-in types' values are
 * reserved. The same value is a provider's {@code type()}, a configuration's {@link EmailConfiguration#type()},
 * a draft's {@link ConfigurationDraft#type()} and what the store keeps.
 *
 * @param type   the authentication type, which is the {@link ConfigurationDraft#type()} to submit
 * @param label  the display name in the requested locale
 * @param fields the form fields in display order
 */
@API(status = API.Status.STABLE, since = "0.1")
public record AuthenticationType(String type, String label, List<FieldDescriptor> fields) {

    /**
     * The types that ship with the library; no other provider may use them.
     *
     * @since 0.3
     */
    public static final Set<String> BUILT_IN = Set.of(PasswordSmtpConfiguration.TYPE, MicrosoftOAuthConfiguration.TYPE);

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    /**
     * Copies the field list.
     *
     * @param type the authentication type, which is the {@link ConfigurationDraft#type()} to submit
     * @param label the display name in the requested locale
     * @param fields the form fields in display order
     */
    public AuthenticationType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        fields = List.copyOf(fields);
    }

    /**
     * The old name of {@link #type()}.
     *
     * @return the authentication type
     * @deprecated one word for one thing; use {@link #type()}
     */
    @Deprecated(since = "0.3", forRemoval = true)
    public String id() {
        return type;
    }

    /**
     * Whether a value is a well-formed type.
     *
     * @param type may be null
     * @return true when it matches {@code [a-z][a-z0-9-]{0,39}}
     * @since 0.3
     */
    public static boolean isValid(@Nullable String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    /**
     * Whether a type ships with the library.
     *
     * @param type any type, never null
     * @return true for the values in {@link #BUILT_IN}
     * @throws NullPointerException naming the parameter, for null (an immutable set would throw a bare one)
     * @since 0.3
     */
    public static boolean isBuiltIn(String type) {
        return BUILT_IN.contains(Objects.requireNonNull(type, "type"));
    }

    /**
     * Returns the type if well formed.
     *
     * @param type the type
     * @return the type
     * @throws IllegalArgumentException naming the value and the rule, if malformed
     * @since 0.3
     */
    public static String requireValid(String type) {
        Objects.requireNonNull(type, "type");
        if (!isValid(type)) {
            throw new IllegalArgumentException("authentication type '" + type
                    + "' is not valid: use lowercase letters, digits and hyphens, starting with a letter");
        }
        return type;
    }
}

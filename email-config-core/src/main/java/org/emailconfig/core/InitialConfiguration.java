package org.emailconfig.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The configuration an installer or a container deployment gives a fresh installation, before any admin
 * opens the page: applied by {@link EmailConfig.Builder#initialConfiguration} only when the store holds
 * nothing, validated like any save (every field error at once, nothing stored), optionally tested by a test
 * email to a given address, and audited with the installer as the actor. A stored configuration is never
 * overwritten.
 *
 * <p>From the environment, as container platforms set it ({@link #fromEnvironment}):
 * <pre>{@code
 * EMAIL_CONFIG_TYPE=smtp-password
 * EMAIL_CONFIG_SENDER_ADDRESS=noreply@example.com
 * EMAIL_CONFIG_HOST=smtp.example.com
 * EMAIL_CONFIG_PORT=587
 * EMAIL_CONFIG_USERNAME=noreply@example.com
 * EMAIL_CONFIG_PASSWORD_FILE=/run/secrets/smtp_password     # any field: _FILE reads the value from a file
 * EMAIL_CONFIG_TEST_TO=ops@example.com                        # optional: send a test email there first
 * }</pre>
 * Field names are the form's ({@code SENDER_ADDRESS} is {@code senderAddress}). Give secrets as files
 * ({@code _FILE}), so they never sit in the process environment where any child process can read them: a
 * secret field given as a plain variable is still applied, but the log and the audit say it came from the
 * environment and name the {@code _FILE} variable to use instead. Every value is kept as a {@link Secret}
 * until the engine knows which fields are secret, so none is ever handed out in clear.
 *
 * @param type          the authentication type
 * @param values        field values by field name, each kept as a {@link Secret} (secret fields among them: the
 *                      engine knows which are secret and reveals only the others into the form's values)
 * @param fromFiles     the names of the fields whose value was read from a file ({@code _FILE})
 * @param installer     the actor id the audit records, such as {@code installer} or the deployment's name
 * @param testRecipient where to send a test email before storing, or null to store without one
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record InitialConfiguration(String type, Map<String, Secret> values, java.util.Set<String> fromFiles,
                                   String installer, @Nullable EmailAddress testRecipient) {

    /** The prefix of every environment variable and property this reads. */
    public static final String PREFIX = "EMAIL_CONFIG_";

    /**
     * Checks and copies.
     *
     * @param type          the authentication type
     * @param values        field values by field name
     * @param fromFiles     the fields whose value was read from a file
     * @param installer     the actor id the audit records
     * @param testRecipient where to send a test email first, or null
     */
    public InitialConfiguration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(installer, "installer");
        if (installer.isBlank()) {
            throw new IllegalArgumentException("installer must not be blank");
        }
        values = Map.copyOf(values);
        fromFiles = java.util.Set.copyOf(fromFiles);
    }

    /**
     * Reads {@code EMAIL_CONFIG_*} variables: {@code TYPE}, one variable per field ({@code SENDER_ADDRESS} for
     * {@code senderAddress}), {@code <FIELD>_FILE} for a value read from a file (the only way for a secret),
     * and optionally {@code TEST_TO}.
     *
     * @param environment {@code System.getenv()}, or any map of the same shape
     * @param installer   the actor id the audit records
     * @return the configuration, or null when no {@code EMAIL_CONFIG_TYPE} is set (nothing to bootstrap)
     * @throws EmailConfigException with {@link Reason#INVALID_CONFIGURATION} naming a file that cannot be read
     */
    public static @Nullable InitialConfiguration fromEnvironment(Map<String, String> environment, String installer) {
        String type = environment.get(PREFIX + "TYPE");
        if (type == null || type.isBlank()) {
            return null;
        }
        Map<String, Secret> values = new LinkedHashMap<>();
        java.util.Set<String> fromFiles = new java.util.HashSet<>();
        String testTo = null;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX) || key.equals(PREFIX + "TYPE")) {
                continue;
            }
            String name = key.substring(PREFIX.length());
            if (name.equals("TEST_TO")) {
                testTo = e.getValue();
            } else if (name.endsWith("_FILE")) {
                String field = fieldName(name.substring(0, name.length() - "_FILE".length()));
                values.put(field, Secret.of(read(key, e.getValue())));
                fromFiles.add(field);
            } else {
                values.put(fieldName(name), Secret.of(e.getValue()));
            }
        }
        return new InitialConfiguration(type.strip(), values, fromFiles, installer,
                testTo == null || testTo.isBlank() ? null : EmailAddress.of(testTo.strip()));
    }

    /**
     * Reads the same names as {@link #fromEnvironment} from properties (an installer's answers file).
     *
     * @param properties the properties
     * @param installer  the actor id the audit records
     * @return the configuration, or null when no {@code EMAIL_CONFIG_TYPE} is set
     */
    public static @Nullable InitialConfiguration fromProperties(Properties properties, String installer) {
        Map<String, String> map = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(n -> map.put(n, properties.getProperty(n)));
        return fromEnvironment(map, installer);
    }

    /**
     * The type, the field names (never their values: a password read from a file is among them), the
     * installer and the test recipient.
     */
    @Override
    public String toString() {
        return "InitialConfiguration[type=" + type + ", fields=" + new java.util.TreeSet<>(values.keySet())
                + ", installer=" + installer + ", testRecipient=" + testRecipient + "]";
    }

    /**
     * The environment variable a field is read from.
     *
     * @param field a form field name such as {@code senderAddress}
     * @return for example {@code EMAIL_CONFIG_SENDER_ADDRESS}
     */
    public static String variableName(String field) {
        return PREFIX + field.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
    }

    /** {@code SENDER_ADDRESS} is the form's {@code senderAddress}. */
    static String fieldName(String upperSnake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String read(String variable, String file) {
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            // Secret files usually end with a line break the secret itself does not have.
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | RuntimeException e) {
            throw new EmailConfigException(Reason.INVALID_CONFIGURATION, variable + " names the file " + file
                    + ", which cannot be read (" + e.getClass().getSimpleName() + "); nothing was configured",
                    "Mount the secret file at that path, or correct " + variable + ".", null);
        }
    }
}

package org.emailconfig.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's properties, under {@code email-config}:
 * <pre>
 * email-config.directory=/var/lib/app/email-config   # the file store and its key, when there is no DataSource
 * email-config.jdbc.table=email_config                # the JDBC store's table, with the application's DataSource
 * email-config.secret-key-file=/run/secrets/email-config.key   # seals secrets in the database: the same on every node
 * email-config.application-name=Hub                   # named in test emails
 * email-config.initial.type=smtp-password             # first-time setup, applied only when nothing is stored
 * email-config.initial.sender-address=noreply@example.com
 * email-config.initial.host=smtp.example.com
 * email-config.initial.password-file=/run/secrets/smtp_password   # a secret only ever as a file
 * email-config.initial.test-to=ops@example.com
 * </pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
@ConfigurationProperties(prefix = "email-config")
public class EmailConfigProperties {

    /** Where the file store keeps the configuration and its secret key, when the application has no DataSource. */
    private Path directory = Path.of("email-config");
    /**
     * The key that seals secrets in the database, when the application has a DataSource: every node needs the same
     * file. Default: {@code email-config.key} in {@link #directory}.
     */
    private @Nullable Path secretKeyFile;
    /** Named in test emails. */
    private String applicationName = "the application";
    /** How long before a certificate expires the warnings come; the longest also turns health DEGRADED. */
    private Duration[] expiryWarnings = {Duration.ofDays(30), Duration.ofDays(7)};
    /** The JDBC store, used when the application has a DataSource. */
    private final Jdbc jdbc = new Jdbc();
    /**
     * First-time setup ({@code EMAIL_CONFIG_*} in properties form): {@code type}, one key per field in kebab case,
     * {@code <field>-file} for a value read from a file, {@code test-to}, {@code installer}.
     */
    private Map<String, String> initial = new LinkedHashMap<>();

    /** The JDBC store's settings. */
    public static class Jdbc {
        /** The table; created when missing. */
        private String table = "email_config";

        /**
         * The table.
         *
         * @return the name
         */
        public String getTable() {
            return table;
        }

        /**
         * Sets the table.
         *
         * @param table the name
         */
        public void setTable(String table) {
            this.table = table;
        }
    }

    /**
     * The file store's directory.
     *
     * @return the directory
     */
    public Path getDirectory() {
        return directory;
    }

    /**
     * Sets the file store's directory.
     *
     * @param directory the directory
     */
    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * The key file that seals secrets stored in the database.
     *
     * @return the file, or null for the default in the directory
     */
    public @Nullable Path getSecretKeyFile() {
        return secretKeyFile;
    }

    /**
     * Sets the key file that seals secrets stored in the database.
     *
     * @param secretKeyFile the file
     */
    public void setSecretKeyFile(@Nullable Path secretKeyFile) {
        this.secretKeyFile = secretKeyFile;
    }

    /**
     * The application's name in test emails.
     *
     * @return the name
     */
    public String getApplicationName() {
        return applicationName;
    }

    /**
     * Sets the application's name in test emails.
     *
     * @param applicationName the name
     */
    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    /**
     * The expiry warning thresholds.
     *
     * @return a copy
     */
    public Duration[] getExpiryWarnings() {
        return expiryWarnings.clone();
    }

    /**
     * Sets the expiry warning thresholds.
     *
     * @param expiryWarnings the thresholds
     */
    public void setExpiryWarnings(Duration[] expiryWarnings) {
        this.expiryWarnings = expiryWarnings.clone();
    }

    /**
     * The JDBC store's settings.
     *
     * @return the settings
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * The first-time setup's values.
     *
     * @return the values by kebab-case key
     */
    public Map<String, String> getInitial() {
        return initial;
    }

    /**
     * Sets the first-time setup's values.
     *
     * @param initial the values by kebab-case key
     */
    public void setInitial(Map<String, String> initial) {
        this.initial = new LinkedHashMap<>(initial);
    }

    /** The first-time setup as {@code EMAIL_CONFIG_*} variables, or null when no type is given. */
    @Nullable Map<String, String> initialAsEnvironment() {
        if (initial.get("type") == null) {
            return null;
        }
        Map<String, String> env = new LinkedHashMap<>();
        initial.forEach((k, v) -> {
            if (!k.equals("installer")) {
                env.put("EMAIL_CONFIG_" + k.replace('-', '_').replace('.', '_').toUpperCase(java.util.Locale.ROOT), v);
            }
        });
        return env;
    }
}

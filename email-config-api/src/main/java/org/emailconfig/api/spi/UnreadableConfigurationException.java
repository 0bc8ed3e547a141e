package org.emailconfig.api.spi;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.jspecify.annotations.Nullable;

/**
 * The store was read, but what it holds is damaged (an empty or truncated file, text that is not a
 * configuration, a revision that is not a number). Thrown by {@link ConfigStore#load()} so the engine
 * can show the administrator why, and let them replace it explicitly. Its reason is always
 * {@link Reason#STORE_FAILURE}. The message names where the damaged data is and never contains a
 * secret.
 *
 * @serial exclude
 *
 * <pre>{@code
 * public Optional<StoredConfiguration> load() {
 *     String text = readFile();
 *     try {
 *         return Optional.of(parse(text));
 *     } catch (IllegalArgumentException damaged) {
 *         throw new UnreadableConfigurationException("The file " + file + " is not a configuration", 0, damaged);
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class UnreadableConfigurationException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    private final long revision;

    /**
     * Creates the exception.
     *
     * @param message  what is damaged and where, never a secret
     * @param revision the damaged configuration's revision when it could still be read, else 0
     * @param cause    the parse failure, or null
     */
    public UnreadableConfigurationException(String message, long revision, @Nullable Throwable cause) {
        super(Reason.STORE_FAILURE, withValidRevision(message, revision), "The stored email configuration is damaged. Enter the configuration "
                + "again and save it with \"replace the damaged configuration\"; the damaged data is kept aside.", cause);
        this.revision = revision;
    }

    /** Checks the revision before the object exists, so a refused argument leaves no half-built exception. */
    private static String withValidRevision(String message, long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be >= 0");
        }
        return message;
    }

    /**
     * The damaged configuration's revision, when it could be read.
     *
     * @return a revision, or 0 when unknown
     */
    public long revision() {
        return revision;
    }
}

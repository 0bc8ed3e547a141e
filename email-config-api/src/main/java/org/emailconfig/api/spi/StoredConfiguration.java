package org.emailconfig.api.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

/**
 * A configuration as a {@link ConfigStore} keeps it: flat text, secrets sealed. A store treats every
 * part as opaque text and must return exactly what it was given.
 *
 * @param type          the authentication type
 * @param revision      1 for the first save, incremented by one on every save
 * @param settings      non-secret field values by field name
 * @param sealedSecrets secret field values, sealed (encrypted) by the engine, by field name
 * @param savedAt       when it was saved; the engine uses whole milliseconds, which every store must keep
 *                      exactly
 * @param savedBy       the actor id that saved it
 *
 * <pre>{@code
 * StoredConfiguration row = new StoredConfiguration("smtp-password", 7,
 *         Map.of("host", "smtp.example.com", "port", "587"), Map.of("password", "v2:k1:...sealed..."),
 *         Instant.now(), "admin-1");
 * store.save(row, 6);   // only if revision 6 is still the newest
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public record StoredConfiguration(String type, long revision, Map<String, String> settings,
                                  Map<String, String> sealedSecrets, Instant savedAt, String savedBy) {

    /**
     * Copies the maps and checks the revision.
     *
     * @param type the authentication type
     * @param revision 1 for the first save, incremented by one on every save
     * @param settings non-secret field values by field name
     * @param sealedSecrets secret field values, sealed (encrypted) by the engine, by field name
     * @param savedAt when it was saved; the engine uses whole milliseconds, which every store must keep exactly
     * @param savedBy the actor id that saved it
     */
    public StoredConfiguration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(savedAt, "savedAt");
        Objects.requireNonNull(savedBy, "savedBy");
        settings = Map.copyOf(settings);
        sealedSecrets = Map.copyOf(sealedSecrets);
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1");
        }
    }

    /** Lists field names only: sealed secrets stay out of logs too. */
    @Override
    public String toString() {
        return "StoredConfiguration[type=" + type + ", revision=" + revision + ", settings=" + settings
                + ", sealedSecrets=" + sealedSecrets.keySet() + ", savedAt=" + savedAt + ", savedBy=" + savedBy + "]";
    }
}

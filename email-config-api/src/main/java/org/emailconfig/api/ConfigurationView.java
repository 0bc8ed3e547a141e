package org.emailconfig.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the edit form shows: the configuration in force with every secret masked, and the installed
 * authentication types. Secrets are never included in clear, not even for administrators: a form only
 * learns whether one is stored.
 *
 * @param type          the type in force, or null when nothing is configured yet
 * @param revision      the stored revision (0 when nothing is configured); pass it back in
 *                      {@link SaveOptions#expectedRevision(long)} to detect concurrent edits
 * @param values        non-secret field values by field name
 * @param storedSecrets names of secret fields that hold a stored value (show them as "unchanged")
 * @param savedAt       when the configuration was saved, or null
 * @param savedBy       the actor id that saved it, or null
 * @param types         the installed authentication types, built-in first
 */
public record ConfigurationView(String type, long revision, Map<String, String> values, Set<String> storedSecrets,
                                Instant savedAt, String savedBy, List<AuthenticationType> types) {

    /** Copies the collections. */
    public ConfigurationView {
        values = Map.copyOf(values);
        storedSecrets = Set.copyOf(storedSecrets);
        types = List.copyOf(types);
    }

    /**
     * Whether a configuration is in force.
     *
     * @return false before the first save
     */
    public boolean configured() {
        return type != null;
    }

    /**
     * The type in force.
     *
     * @return empty before the first save
     */
    public Optional<String> typeIfConfigured() {
        return Optional.ofNullable(type);
    }
}

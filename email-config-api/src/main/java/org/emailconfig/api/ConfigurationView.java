package org.emailconfig.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What the edit form shows: the configuration in force with every secret masked, and the installed
 * authentication types. Secrets are never included in clear, not even for administrators: a form only
 * learns whether one is stored.
 *
 * @param type          the type in force, or null when nothing is configured yet
 * @param revision      the stored revision (0 when nothing is configured); pass it back in
 *                      {@link SaveOptions#withExpectedRevision(long)} to detect concurrent edits
 * @param values        non-secret field values by field name
 * @param storedSecrets names of secret fields that hold a stored value (show them as "unchanged")
 * @param savedAt       when the configuration was saved, or null
 * @param savedBy       the actor id that saved it, or null
 * @param types         the installed authentication types, built-in first
 * @param damaged       why the stored configuration cannot be read, or null when it can (or none exists);
 *                      when set, {@code type} is null and the form starts empty: saving with
 *                      {@link SaveOptions#withDamagedReplaced()} replaces it, keeping the damaged data aside
 * @param storeWarnings problems with the store's own safety to show beside the form (a configuration
 *                      file other local users can write, say); empty when there are none
 * @param warnings      what the administrator should know about the configuration in force, in the actor's
 *                      language (for example that Microsoft switches off the password sign-in it uses); empty
 *                      when there is nothing
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ConfigurationView(@Nullable String type, long revision, Map<String, String> values,
                                Set<String> storedSecrets, @Nullable Instant savedAt, @Nullable String savedBy,
                                List<AuthenticationType> types, @Nullable String damaged,
                                List<String> storeWarnings, List<String> warnings) {

    /**
     * Copies the collections.
     *
     * @param type the type in force, or null when nothing is configured yet
     * @param revision the stored revision (0 when nothing is configured); pass it back in {@link SaveOptions#withExpectedRevision(long)} to detect concurrent edits
     * @param values non-secret field values by field name
     * @param storedSecrets names of secret fields that hold a stored value (show them as "unchanged")
     * @param savedAt when the configuration was saved, or null
     * @param savedBy the actor id that saved it, or null
     * @param types the installed authentication types, built-in first
     * @param damaged why the stored configuration cannot be read, or null when it can (or none exists); when set, {@code type} is null and the form starts empty: saving with {@link SaveOptions#withDamagedReplaced()} replaces it, keeping the damaged data aside
     * @param storeWarnings problems with the store's own safety to show beside the form (a configuration file other local users can write, say); empty when there are none
     * @param warnings what the administrator should know about the configuration in force, in the actor's language; empty when there is nothing
     */
    public ConfigurationView {
        values = Map.copyOf(values);
        storedSecrets = Set.copyOf(storedSecrets);
        types = List.copyOf(types);
        storeWarnings = List.copyOf(storeWarnings);
        warnings = List.copyOf(warnings);
    }

    /**
     * A view without warnings about the configuration itself (the form before 0.2).
     *
     * @param type the type in force, or null when nothing is configured yet
     * @param revision the stored revision (0 when nothing is configured)
     * @param values non-secret field values by field name
     * @param storedSecrets names of secret fields that hold a stored value
     * @param savedAt when the configuration was saved, or null
     * @param savedBy the actor id that saved it, or null
     * @param types the installed authentication types, built-in first
     * @param damaged why the stored configuration cannot be read, or null
     * @param storeWarnings problems with the store's own safety; empty when there are none
     */
    public ConfigurationView(@Nullable String type, long revision, Map<String, String> values, Set<String> storedSecrets,
                             @Nullable Instant savedAt, @Nullable String savedBy, List<AuthenticationType> types,
                             @Nullable String damaged, List<String> storeWarnings) {
        this(type, revision, values, storedSecrets, savedAt, savedBy, types, damaged, storeWarnings, List.of());
    }

    /**
     * A view of a readable (or absent) configuration with no store warnings.
     *
     * @param type          the type in force, or null
     * @param revision      the stored revision
     * @param values        non-secret values
     * @param storedSecrets names of stored secret fields
     * @param savedAt       when saved, or null
     * @param savedBy       who saved, or null
     * @param types         the installed types
     */
    public ConfigurationView(@Nullable String type, long revision, Map<String, String> values, Set<String> storedSecrets,
                             @Nullable Instant savedAt, @Nullable String savedBy, List<AuthenticationType> types) {
        this(type, revision, values, storedSecrets, savedAt, savedBy, types, null, List.of(), List.of());
    }

    /**
     * Whether the stored configuration is damaged and must be replaced.
     *
     * @return true when {@link #damaged()} is set
     */
    public boolean isDamaged() {
        return damaged != null;
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

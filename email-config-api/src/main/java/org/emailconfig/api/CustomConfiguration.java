package org.emailconfig.api;

import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

/**
 * A third-party type's configuration kept as two string maps, for a provider that needs no record of its own:
 * the ready-made {@link ProviderConfiguration}. The provider defines what its settings and secrets mean; the
 * library only stores and masks them. A provider that wants typed components writes its own
 * {@code ProviderConfiguration} record instead; the engine treats both alike.
 *
 * @param type     the authentication type, never a built-in one
 * @param sender   the From, never null
 * @param settings non-secret field values by field name, copied
 * @param secrets  secret field values by field name, copied; never keep markers
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CustomConfiguration(String type, Sender sender, Map<String, String> settings,
                                  Map<String, Secret> secrets) implements ProviderConfiguration {

    /**
     * Validates the type and copies the maps.
     *
     * @param type the authentication type, never a built-in one
     * @param sender the From, never null
     * @param settings non-secret field values by field name, copied
     * @param secrets secret field values by field name, copied; never keep markers
     */
    public CustomConfiguration {
        Objects.requireNonNull(sender, "sender");
        AuthenticationType.requireValid(type);
        if (AuthenticationType.isBuiltIn(type)) {
            throw new IllegalArgumentException("type '" + type + "' is built in; use its own configuration record");
        }
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        if (secrets.values().stream().anyMatch(Secret::isKeep)) {
            throw new IllegalArgumentException("secrets must be resolved before building a configuration");
        }
    }
}

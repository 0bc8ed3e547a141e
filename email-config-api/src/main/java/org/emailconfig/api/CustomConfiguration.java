package org.emailconfig.api;

import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

/**
 * A configuration of an authentication type added by a third-party provider. The provider defines
 * what its settings and secrets mean; the library only stores and masks them.
 *
 * @param type     the provider id, never one of the built-in ids
 * @param sender   the From, never null
 * @param settings non-secret field values by field name, copied
 * @param secrets  secret field values by field name, copied; never keep markers
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CustomConfiguration(String type, Sender sender, Map<String, String> settings,
                                  Map<String, Secret> secrets) implements EmailConfiguration {

    /**
     * Validates the type and copies the maps.
     *
     * @param type the provider id, never one of the built-in ids
     * @param sender the From, never null
     * @param settings non-secret field values by field name, copied
     * @param secrets secret field values by field name, copied; never keep markers
     */
    public CustomConfiguration {
        Objects.requireNonNull(sender, "sender");
        ProviderIds.requireValid(type);
        if (ProviderIds.isReserved(type)) {
            throw new IllegalArgumentException("type '" + type + "' is built in; use its own configuration record");
        }
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        if (secrets.values().stream().anyMatch(Secret::isKeep)) {
            throw new IllegalArgumentException("secrets must be resolved before building a configuration");
        }
    }
}

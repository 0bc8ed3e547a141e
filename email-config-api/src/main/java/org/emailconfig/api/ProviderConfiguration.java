package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * A typed configuration of a third-party authentication type: the provider's own record implements this,
 * so its {@code open} reads typed components instead of re-parsing {@link CustomConfiguration}'s string
 * maps. The engine never looks inside: it stores and compares what the provider's {@code unbind} returns,
 * and hands the record back to the same provider.
 *
 * <pre>{@code
 * public record WebhookConfiguration(Sender sender, URI endpoint, Secret apiKey) implements ProviderConfiguration {
 *     public String type() { return "webhook"; }
 * }
 * }</pre>
 *
 * <p>Like every {@link EmailConfiguration}, an implementation is immutable, never holds a
 * {@link Secret#keep()} marker, never reports a built-in type id ({@link ProviderIds#RESERVED}), and keeps
 * secrets out of its {@code toString} ({@link Secret} does that for its own values). A host's exhaustive
 * {@code switch} over {@link EmailConfiguration} has one arm for this interface.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public non-sealed interface ProviderConfiguration extends EmailConfiguration {
}

package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * The configuration of a third-party authentication type: the one arm a host's exhaustive {@code switch} over
 * {@link EmailConfiguration} needs for every type that does not ship with the library. A provider's own record
 * implements it, so its {@code open} reads typed components; {@link CustomConfiguration} is the ready-made
 * implementation with string maps, for a provider that needs no record of its own. The engine never looks inside: it stores and compares what the provider's {@code unbind} returns,
 * and hands the record back to the same provider.
 *
 * <pre>{@code
 * public record WebhookConfiguration(Sender sender, URI endpoint, Secret apiKey) implements ProviderConfiguration {
 *     public String type() { return "webhook"; }
 * }
 * }</pre>
 *
 * <p>Like every {@link EmailConfiguration}, an implementation is immutable, never holds a
 * {@link Secret#keep()} marker, never reports a built-in type id ({@link AuthenticationType#BUILT_IN}), and keeps
 * secrets out of its {@code toString} ({@link Secret} does that for its own values). A host's exhaustive
 * {@code switch} over {@link EmailConfiguration} has one arm for this interface (put an arm for
 * {@code CustomConfiguration}, if any, before it).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.3")
public non-sealed interface ProviderConfiguration extends EmailConfiguration {
}

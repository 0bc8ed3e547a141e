package org.emailconfig.msoauth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.MicrosoftOAuthConfiguration.ClientCertificate;
import org.emailconfig.api.MicrosoftOAuthConfiguration.ClientSecret;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Credential;
import org.emailconfig.api.MicrosoftOAuthConfiguration.FederatedToken;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.DeliveryContext;
import org.jspecify.annotations.Nullable;

/**
 * Client-credentials tokens through msal4j: one confidential client per configuration, reused; each
 * token cached until five minutes before it expires (or until the platform's {@code refresh_in}),
 * then renewed; one request at a time per client and scope, so threads that need a token together
 * cause a single request. The cache is ours, not msal4j's, because msal4j's cache misses for
 * authorities with a port (see FACTS.md) and we want one request per token lifetime regardless.
 */
final class TokenService {

    /** Tokens are renewed when less than this is left, the margin msal4j itself uses. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    /** Clients kept; older ones (configurations replaced long ago) are dropped. */
    private static final int MAX_CLIENTS = 8;

    private final Map<ClientKey, Client> clients = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ClientKey, Client> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /** What makes two configurations share a confidential client. */
    private record ClientKey(String authority, String clientId, Credential credential, SSLContext tls,
                             Duration connect, Duration read) {
    }

    /** The host's federated tokens, for a federated credential without a file; null when the host gives none. */
    private final @Nullable Supplier<String> hostAssertions;

    TokenService(@Nullable Supplier<String> hostAssertions) {
        this.hostAssertions = hostAssertions;
    }

    /**
     * A valid access token for a scope, from cache or freshly requested. Blocks while another thread
     * requests the same token.
     *
     * @throws DeliveryFailedException classified, when no token can be had
     */
    Secret token(MicrosoftOAuthConfiguration config, String scope, DeliveryContext context) {
        return client(config, context).token(scope, context);
    }

    /**
     * Forgets a cached token that a resource refused (revoked, or issued before a permission change),
     * so the next call requests a new one instead of failing until it expires.
     */
    void invalidate(MicrosoftOAuthConfiguration config, String scope, DeliveryContext context) {
        client(config, context).forget(scope, null);
    }

    /**
     * Forgets a cached token that a resource refused, if it is still the cached one: when several connections
     * are refused at once, the token another thread has just fetched in its place stays (one request per
     * expiry, not one per refusal).
     */
    void invalidate(MicrosoftOAuthConfiguration config, String scope, DeliveryContext context, Secret refused) {
        client(config, context).forget(scope, refused);
    }

    private Client client(MicrosoftOAuthConfiguration c, DeliveryContext context) {
        ClientKey key = new ClientKey(authority(c), c.clientId(), c.credential(), context.sslContext(),
                context.connectTimeout(), context.readTimeout());
        synchronized (clients) {
            return clients.computeIfAbsent(key, k -> {
                MsalHttpClient http = new MsalHttpClient(k.tls(), k.connect(), k.read());
                return new Client(build(c, k, http, credential(c.credential())), c, http);
            });
        }
    }

    static String authority(MicrosoftOAuthConfiguration c) {
        String base = c.endpoints().login().toString();
        return (base.endsWith("/") ? base : base + "/") + c.tenantId() + "/";
    }

    /**
     * What msal4j signs in with: the secret; the certificate, with which it signs a fresh client assertion for every
     * token request; or the federated token, read again for every request (the platform renews the file, and the
     * host's source knows when its token expires).
     */
    private IClientCredential credential(Credential credential) {
        if (credential instanceof ClientSecret cs) {
            return ClientCredentialFactory.createFromSecret(cs.value().reveal());
        }
        if (credential instanceof ClientCertificate cc) {
            return ClientCredentialFactory.createFromCertificateChain(cc.privateKey(), cc.chain());
        }
        FederatedToken ft = (FederatedToken) credential;
        String file = ft.tokenFile().orElse(null);
        Supplier<String> host = hostAssertions;
        if (file != null) {
            return ClientCredentialFactory.createFromCallback(() -> FederatedTokens.read(Path.of(file)));
        }
        if (host == null) {
            // Bound by a provider with a host source, opened by one without (two services, one store).
            return ClientCredentialFactory.createFromCallback(() -> {
                throw new FederatedTokens.Unreadable("no federated token file is configured and this application's "
                        + "Microsoft provider was built without withClientAssertions");
            });
        }
        return ClientCredentialFactory.createFromCallback(() -> FederatedTokens.fromHost(host));
    }

    private static ConfidentialClientApplication build(MicrosoftOAuthConfiguration c, ClientKey key,
                                                       MsalHttpClient http, IClientCredential credential) {
        boolean publicCloud = c.endpoints().login().equals(MicrosoftOAuthConfiguration.Endpoints.of(c.cloud()).login());
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication
                    .builder(c.clientId(), credential)
                    .authority(key.authority())
                    // Our own client: the engine's timeouts and TLS, and never a redirect (msal4j's default client
                    // re-posts the client secret to wherever the token endpoint redirects).
                    .httpClient(http);
            if (!publicCloud) {
                // An overridden endpoint (proxy, test fake) is not a host Microsoft's discovery knows.
                b.instanceDiscovery(false).validateAuthority(false);
            }
            return b.build();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("invalid authority " + key.authority(), e);
        }
    }

    /** One confidential client and its tokens by scope. */
    private static final class Client {
        private final ConfidentialClientApplication app;
        private final MicrosoftOAuthConfiguration config;
        private final MsalHttpClient http;
        private final Map<String, Cached> byScope = new HashMap<>();

        Client(ConfidentialClientApplication app, MicrosoftOAuthConfiguration config, MsalHttpClient http) {
            this.http = http;
            this.app = app;
            this.config = config;
        }

        synchronized Secret token(String scope, DeliveryContext context) {
            Clock clock = context.clock();
            Cached cached = byScope.get(scope);
            if (cached != null && clock.instant().isBefore(cached.renewAt())) {
                return cached.token();
            }
            Instant requested = clock.instant();
            long systemNow = System.currentTimeMillis();
            IAuthenticationResult result = acquire(scope, context);
            // msal4j states expiry in system time; translate the remaining lifetime onto the engine's clock.
            Duration lifetime = Duration.ofMillis(result.expiresOnDate().getTime() - systemNow);
            Instant renewAt = requested.plus(lifetime).minus(RENEW_BEFORE_EXPIRY);
            Long refreshOn = result.metadata() == null ? null : result.metadata().refreshOn();
            if (refreshOn != null && refreshOn > 0) {
                Instant refresh = requested.plusMillis(refreshOn * 1000 - systemNow);
                renewAt = refresh.isBefore(renewAt) ? refresh : renewAt;
            }
            Secret token = Secret.of(result.accessToken());
            byScope.put(scope, new Cached(token, renewAt));
            return token;
        }

        synchronized void forget(String scope, @Nullable Secret onlyThis) {
            Cached cached = byScope.get(scope);
            if (cached != null && (onlyThis == null || cached.token().reveal().equals(onlyThis.reveal()))) {
                byScope.remove(scope);
            }
        }

        private IAuthenticationResult acquire(String scope, DeliveryContext context) {
            ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(scope))
                    .skipCache(true)
                    .build();
            // msal4j retries a 5xx once after a second; allow for that on top of the HTTP timeouts.
            long limit = context.connectTimeout().plus(context.readTimeout()).multipliedBy(2).plusSeconds(2).toMillis();
            try {
                return app.acquireToken(parameters).get(limit, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw MsalFailures.classify(e.getCause() == null ? e : e.getCause(), config, http.lastFailure());
            } catch (TimeoutException e) {
                throw MsalFailures.timeout(config, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MsalFailures.classify(e, config, http.lastFailure());
            }
        }
    }

    private record Cached(Secret token, Instant renewAt) {
    }
}

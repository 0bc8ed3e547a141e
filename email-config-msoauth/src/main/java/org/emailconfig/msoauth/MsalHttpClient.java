package org.emailconfig.msoauth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP client msal4j uses for the identity platform: {@code java.net.http} with the engine's timeouts
 * and TLS context, and redirects never followed. msal4j's own client follows a token endpoint's redirect
 * to any HTTPS host and posts the form, client secret included, there again; a redirect here reaches
 * msal4j as an error response instead.
 */
final class MsalHttpClient implements IHttpClient {

    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final Duration readTimeout;
    /**
     * The last response that was not a success: msal4j turns a 5xx with a body it cannot parse, or a
     * redirect, into "Unknown service exception" without the status. One token request runs at a time
     * per client (TokenService), so the last one is the one that failed.
     */
    private volatile @Nullable Response lastFailure;

    MsalHttpClient(SSLContext tls, Duration connectTimeout, Duration readTimeout) {
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder b;
        try {
            b = java.net.http.HttpRequest.newBuilder(URI.create(request.url().toString())).timeout(readTimeout);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid identity platform URL", e);
        }
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> {
                if (value != null && !RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    b.header(name, value);
                }
            });
        }
        String body = request.body();
        b.method(request.httpMethod().methodName, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(b.build(), BodyHandlers.ofString());
        Response r = new Response(response.statusCode(), response.headers().map(), response.body());
        lastFailure = r.statusCode() >= 300 ? r : null;
        return r;
    }

    /**
     * The status and headers of the last response, when it was not a success.
     *
     * @return empty after a success
     */
    java.util.Optional<Response> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    /** A response as msal4j reads it. */
    record Response(int statusCode, Map<String, List<String>> headers, String body) implements IHttpResponse {
    }
}

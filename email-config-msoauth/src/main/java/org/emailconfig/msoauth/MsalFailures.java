package org.emailconfig.msoauth;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.aad.msal4j.MsalServiceException;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.SecretMask;
import org.jspecify.annotations.Nullable;

/**
 * Turns msal4j failures into reasons with hints. Entra ID reports the cause as an AADSTS code at the
 * start of {@code error_description}; msal4j keeps the parsed codes private, so they are read from the
 * message. Microsoft may change codes and texts, so unknown ones fall back to {@link Reason#OAUTH_ERROR}
 * with the platform's own first sentence.
 */
final class MsalFailures {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    private MsalFailures() {
    }

    static DeliveryFailedException classify(Throwable t, MicrosoftOAuthConfiguration c,
                                            Optional<MsalHttpClient.Response> lastFailure) {
        String who = "application " + c.clientId() + " in directory " + c.tenantId();
        String where = c.endpoints().login().toString();
        if (t instanceof MsalServiceException s) {
            String text = redact(String.valueOf(s.getMessage()), c);
            Optional<String> code = aadsts(text);
            String summary = firstSentence(text);
            // msal4j loses the status of a body it cannot parse; the HTTP client kept it.
            int status = s.statusCode() != null ? s.statusCode()
                    : lastFailure.map(MsalHttpClient.Response::statusCode).orElse(-1);
            Map<String, List<String>> headers = s.headers() != null && !s.headers().isEmpty() ? s.headers()
                    : lastFailure.map(MsalHttpClient.Response::headers).orElse(Map.of());
            String reply = code.map(x -> "AADSTS" + x).orElse(s.errorCode());
            if (status >= 300 && status < 400) {
                return token(Reason.OAUTH_ERROR, "The Microsoft identity platform at " + where + " answered with a "
                        + "redirect (HTTP " + status + "). Redirects are never followed, so the client secret is only "
                        + "ever sent to the configured endpoint.", false, t, s, headers, c)
                        .hint(Texts.text("hint.redirect")).build();
            }
            if (status >= 500 || status == 429) {
                // Whatever the body says (Entra JSON with AADSTS90033, an HTML error page, plain text).
                return token(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at " + where
                        + " is not available (HTTP " + status + "): " + summary, true, t, s, headers, c)
                        .hint(Texts.text("hint.platformTrouble"))
                        .serverReply(reply).build();
            }
            Reason reason = code.map(MsalFailures::byCode).orElse(null);
            if (reason == null && "invalid_tenant".equals(s.errorCode())) {
                reason = Reason.OAUTH_TENANT_NOT_FOUND;
            }
            if (reason == null) {
                reason = Reason.OAUTH_ERROR;
            }
            return token(reason, "The Microsoft identity platform refused a token for " + who + ": " + summary, false,
                    t, s, headers, c).serverReply(reply).build();
        }
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof FederatedTokens.Unreadable u) {
                return token(Reason.OAUTH_CREDENTIAL_UNREADABLE, "No token was requested for " + who + ": "
                        + u.getMessage(), false, t, null, Map.of(), c).build();
            }
        }
        Throwable io = t;
        while (io != null && !(io instanceof IOException)) {
            io = io.getCause();
        }
        if (io instanceof javax.net.ssl.SSLHandshakeException) {
            // Not the network: the TLS handshake with the endpoint failed, mostly on its certificate. Trying again
            // cannot help.
            boolean certificate = false;
            for (Throwable x = io; x != null && !certificate; x = x.getCause() == x ? null : x.getCause()) {
                certificate = x instanceof java.security.cert.CertificateException
                        || x instanceof java.security.cert.CertPathBuilderException
                        || x instanceof java.security.cert.CertPathValidatorException;
            }
            return token(certificate ? Reason.TLS_CERTIFICATE_UNTRUSTED : Reason.TLS_HANDSHAKE,
                    "The Microsoft identity platform at " + where + (certificate
                            ? " presented a certificate that is not trusted (" : " failed the TLS handshake (")
                            + redact(String.valueOf(io.getMessage()), c) + ")", false, t, null, Map.of(), c)
                    .hint(Texts.text("hint.loginTls", where)).build();
        }
        if (io != null) {
            return token(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at " + where
                    + " could not be reached (" + io.getClass().getSimpleName() + ": "
                    + redact(String.valueOf(io.getMessage()), c) + ")", true, t, null, Map.of(), c).build();
        }
        return token(Reason.OAUTH_ERROR, "No token could be obtained for " + who + " ("
                + t.getClass().getSimpleName() + ": " + redact(String.valueOf(t.getMessage()), c) + ")", false, t, null,
                Map.of(), c).build();
    }

    static DeliveryFailedException timeout(MicrosoftOAuthConfiguration c, Exception e) {
        return token(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at " + c.endpoints().login()
                + " did not answer in time", true, e, null, Map.of(), c).build();
    }

    /** A failure at the token step, with the correlation id and Retry-After the platform gave. */
    private static DeliveryFailedException.Builder token(Reason reason, String message, boolean temporary, Throwable cause,
                                                         @Nullable MsalServiceException s,
                                                         @Nullable Map<String, List<String>> headers,
                                                         MicrosoftOAuthConfiguration c) {
        // msal4j quotes the platform's error_description, which a proxy or a misbehaving endpoint may fill with
        // the request it refused: the cause is kept only with the secret masked.
        return DeliveryFailedException.builder(reason, message).step(DeliveryStep.TOKEN).temporary(temporary)
                .cause(mask(c).mask(cause)).requestId(s == null ? null : s.correlationId())
                .retryAfter(retryAfter(headers));
    }

    /** Retry-After in seconds (the platform does not send the HTTP-date form). */
    static @Nullable Duration retryAfter(@Nullable Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase("Retry-After") && !h.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(h.getValue().get(0).trim());
                    return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static @Nullable Reason byCode(String code) {
        return switch (code) {
            case "90002" -> Reason.OAUTH_TENANT_NOT_FOUND;
            case "700016" -> Reason.OAUTH_CLIENT_NOT_FOUND;
            case "7000215" -> Reason.OAUTH_INVALID_CLIENT_SECRET;
            case "7000222" -> Reason.OAUTH_CLIENT_SECRET_EXPIRED;
            // The key is not the app's, or the signature does not verify; 7000274 is the newer wording.
            case "700027", "7000274" -> Reason.OAUTH_CLIENT_ASSERTION_REJECTED;
            case "1000502" -> Reason.OAUTH_CLIENT_CERTIFICATE_EXPIRED;
            case "700024" -> Reason.OAUTH_CLIENT_ASSERTION_EXPIRED;
            // No matching federated identity record; 700211 an issuer, 700213 a subject that none names.
            case "70021", "700211", "700213" -> Reason.OAUTH_FEDERATED_CREDENTIAL_MISMATCH;
            default -> null;
        };
    }

    private static Optional<String> aadsts(String text) {
        Matcher m = AADSTS.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The platform's description up to its first full stop, without trace and correlation ids. */
    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        String first = end > 0 ? text.substring(0, end + 1) : text;
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }

    static String redact(String text, MicrosoftOAuthConfiguration c) {
        return mask(c).mask(text);
    }

    /** Masks what the engine masks for this configuration: every secret its draft holds. */
    private static SecretMask mask(MicrosoftOAuthConfiguration c) {
        return SecretMask.of(MicrosoftOAuthProvider.draft(c).secrets().values());
    }
}

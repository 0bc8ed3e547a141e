package org.emailconfig.msoauth;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.aad.msal4j.MsalServiceException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;

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

    static DeliveryFailedException classify(Throwable t, MicrosoftOAuthConfiguration c) {
        String who = "application " + c.clientId() + " in directory " + c.tenantId();
        String where = c.endpoints().login().toString();
        if (t instanceof MsalServiceException s) {
            String text = redact(String.valueOf(s.getMessage()), c);
            Optional<String> code = aadsts(text);
            String summary = firstSentence(text);
            Reason reason = code.map(MsalFailures::byCode).orElse(null);
            if (reason == null && "invalid_tenant".equals(s.errorCode())) {
                reason = Reason.OAUTH_TENANT_NOT_FOUND;
            }
            if (reason == null && (s.statusCode() == null || s.statusCode() >= 500)
                    && text.contains("status code 5")) {
                return new DeliveryFailedException(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at "
                        + where + " is not available: " + summary, "The identity platform is having trouble; "
                        + "try again in a few minutes.", null, t);
            }
            if (reason == null) {
                reason = Reason.OAUTH_ERROR;
            }
            return new DeliveryFailedException(reason, "The Microsoft identity platform refused a token for " + who
                    + ": " + summary, null, code.map(x -> "AADSTS" + x).orElse(s.errorCode()), t);
        }
        Throwable io = t;
        while (io != null && !(io instanceof IOException)) {
            io = io.getCause();
        }
        if (io != null) {
            return new DeliveryFailedException(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at " + where
                    + " could not be reached (" + io.getClass().getSimpleName() + ": "
                    + redact(String.valueOf(io.getMessage()), c) + ")", null, null, t);
        }
        return new DeliveryFailedException(Reason.OAUTH_ERROR, "No token could be obtained for " + who + " ("
                + t.getClass().getSimpleName() + ": " + redact(String.valueOf(t.getMessage()), c) + ")", null, null, t);
    }

    static DeliveryFailedException timeout(MicrosoftOAuthConfiguration c, Exception e) {
        return new DeliveryFailedException(Reason.OAUTH_UNREACHABLE, "The Microsoft identity platform at "
                + c.endpoints().login() + " did not answer in time", null, null, e);
    }

    private static Reason byCode(String code) {
        return switch (code) {
            case "90002" -> Reason.OAUTH_TENANT_NOT_FOUND;
            case "700016" -> Reason.OAUTH_CLIENT_NOT_FOUND;
            case "7000215" -> Reason.OAUTH_INVALID_CLIENT_SECRET;
            case "7000222" -> Reason.OAUTH_CLIENT_SECRET_EXPIRED;
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
        return text.replace(c.clientSecret().reveal(), "******");
    }
}

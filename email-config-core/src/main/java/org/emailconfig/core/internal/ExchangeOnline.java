package org.emailconfig.core.internal;

import java.util.Locale;
import java.util.Set;

import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.SmtpAuthentication;
import org.emailconfig.core.internal.text.CoreTexts;

/**
 * What the library knows of Exchange Online's end of SMTP basic authentication: Microsoft switches SMTP AUTH
 * with username and password off by default for existing tenants at the end of December 2026 (tenants created
 * later never have it; removal follows in 2027). A password configuration that points at Exchange Online's
 * submission hosts will stop working then; the Microsoft OAuth 2.0 type is the way on.
 */
final class ExchangeOnline {

    /**
     * Exchange Online's client submission hosts: worldwide, Outlook.com, US Government (GCC High, DoD) and
     * China (21Vianet). Not {@code *.mail.protection.outlook.com}: direct send and relay connectors need no
     * password.
     */
    private static final Set<String> SUBMISSION_HOSTS = Set.of("smtp.office365.com", "smtp-mail.outlook.com",
            "outlook.office365.com", "smtp.office365.us", "outlook.office365.us", "smtp.partner.outlook.cn");

    private ExchangeOnline() {
    }

    /** Whether a host is one of Exchange Online's submission hosts (any case, with or without a final dot). */
    static boolean submissionHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return SUBMISSION_HOSTS.contains(h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
    }

    /** Whether a configuration signs in to Exchange Online with a password. */
    static boolean basicAuth(EmailConfiguration c) {
        return c instanceof PasswordSmtpConfiguration p
                && applies(p.authentication() instanceof SmtpAuthentication.Login, p.server().host());
    }

    /**
     * The same, read from a stored configuration's settings (the form's view, which needs no unsealed secret):
     * the password type with authentication on, as its settings store it.
     */
    static boolean basicAuth(String type, java.util.Map<String, String> settings) {
        return PasswordSmtpConfiguration.TYPE.equals(type)
                && applies("true".equalsIgnoreCase(settings.get(PasswordSmtpConfiguration.AUTHENTICATION)),
                        settings.get(PasswordSmtpConfiguration.HOST));
    }

    /** The one rule both read: a password sign-in to one of Exchange Online's submission hosts. */
    private static boolean applies(boolean passwordLogin, @org.jspecify.annotations.Nullable String host) {
        return passwordLogin && host != null && submissionHost(host);
    }

    /** The warning for such a configuration: what will happen, and the way on. */
    static LocalizedText switchOffWarning(EmailConfiguration c) {
        return switchOffWarning(((PasswordSmtpConfiguration) c).server().host());
    }

    static LocalizedText switchOffWarning(String host) {
        return CoreTexts.text("warning.exchangeBasicAuth", host);
    }
}

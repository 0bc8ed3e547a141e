package org.emailconfig.core.internal;

import java.util.Locale;
import java.util.Set;

import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.SmtpAuthentication;

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
        return c instanceof PasswordSmtpConfiguration p && p.authentication() instanceof SmtpAuthentication.Login
                && submissionHost(p.server().host());
    }

    /** The same, read from a stored configuration's settings. */
    static boolean basicAuth(String type, java.util.Map<String, String> settings) {
        String host = settings.get(PasswordSmtpConfiguration.HOST);
        return PasswordSmtpConfiguration.TYPE.equals(type) && host != null && submissionHost(host)
                && !"false".equalsIgnoreCase(settings.get(PasswordSmtpConfiguration.AUTHENTICATION));
    }

    /** The warning for such a configuration: what will happen, and the way on. */
    static LocalizedText switchOffWarning(EmailConfiguration c) {
        return switchOffWarning(((PasswordSmtpConfiguration) c).server().host());
    }

    static LocalizedText switchOffWarning(String host) {
        return CoreTexts.text("warning.exchangeBasicAuth", host);
    }
}

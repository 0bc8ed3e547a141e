package org.emailconfig.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Microsoft 365 with OAuth 2.0 client credentials (an Entra ID app registration).
 *
 * @param sender       the mailbox the application sends as, never null
 * @param tenantId     the directory (tenant) id: a GUID or a verified domain, never blank
 * @param clientId     the application (client) id, a GUID
 * @param clientSecret the client secret's value (not its id), never the keep marker
 * @param delivery     how messages leave: Graph {@code sendMail} (permission {@code Mail.Send}) or SMTP
 *                     with XOAUTH2 (permission {@code SMTP.SendAsApp})
 * @param cloud        which Microsoft cloud the tenant lives in
 */
public record MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Secret clientSecret,
                                          Delivery delivery, Cloud cloud) implements EmailConfiguration {

    /** The provider id of this type. */
    public static final String TYPE = "microsoft-oauth2";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Validates the components. */
    public MicrosoftOAuthConfiguration {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(cloud, "cloud");
        if (!GUID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId must be a GUID");
        }
        if (!GUID.matcher(tenantId).matches() && !Text.isHostName(tenantId)) {
            throw new IllegalArgumentException("tenantId must be a GUID or a domain name");
        }
        if (clientSecret.isKeep()) {
            throw new IllegalArgumentException("clientSecret must be resolved before building a configuration");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** How a Microsoft configuration delivers messages. */
    public enum Delivery {
        /** Microsoft Graph {@code POST /users/{sender}/sendMail}; needs application permission {@code Mail.Send}. */
        GRAPH,
        /** {@code smtp.office365.com:587}, STARTTLS, AUTH XOAUTH2; needs {@code SMTP.SendAsApp}. */
        SMTP_XOAUTH2
    }

    /** The Microsoft cloud a tenant belongs to; each has its own identity and Graph endpoints. */
    public enum Cloud {
        /** Microsoft Entra ID worldwide (login.microsoftonline.com). */
        WORLDWIDE,
        /** US Government (login.microsoftonline.us). */
        US_GOVERNMENT,
        /** China, operated by 21Vianet (login.chinacloudapi.cn). */
        CHINA
    }
}

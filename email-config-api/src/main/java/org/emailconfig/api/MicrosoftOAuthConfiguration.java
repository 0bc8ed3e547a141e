package org.emailconfig.api;

import java.net.URI;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Microsoft 365 with OAuth 2.0 client credentials (an Entra ID app registration).
 *
 * @param sender       the mailbox the application sends as, never null
 * @param tenantId     the directory (tenant) id: a GUID or a verified domain, never blank
 * @param clientId     the application (client) id, a GUID
 * @param clientSecret the client secret's value (not its id), never the keep marker
 * @param delivery     how messages leave: Graph {@code sendMail} (permission {@code Mail.Send}) or SMTP
 *                     with XOAUTH2 (permission {@code SMTP.SendAsApp})
 * @param cloud        which Microsoft cloud the tenant lives in; decides token scopes
 * @param endpoints    where the identity platform, Graph and SMTP are reached; {@link Endpoints#of(Cloud)}
 *                     unless overridden (a test fake, a proxy)
 * @param saveToSentItems for Graph delivery: keep a copy of every message in the mailbox's Sent Items.
 *                     When true the MIME message is posted exactly as composed (Graph's MIME form, which
 *                     always keeps a copy); when false (the default) it is posted in Graph's JSON form with
 *                     {@code saveToSentItems: false}, the only form that can switch the copy off
 * @param replyTo      the Reply-To, or empty for replies to the sender
 */
@API(status = API.Status.STABLE, since = "0.1")
public record MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Secret clientSecret,
                                          Delivery delivery, Cloud cloud, Endpoints endpoints,
                                          boolean saveToSentItems, Optional<Sender> replyTo,
                                          Optional<LocalDate> clientSecretExpires)
        implements EmailConfiguration {

    /** This authentication type, as {@link #type()} returns it. */
    public static final String TYPE = "microsoft-oauth2";

    /** Form field: the mailbox to send as. */
    public static final String SENDER_ADDRESS = "senderAddress";
    /** Form field: sender display name, optional. */
    public static final String SENDER_NAME = "senderName";
    /** Form field: directory (tenant) ID. */
    public static final String TENANT_ID = "tenantId";
    /** Form field: application (client) ID. */
    public static final String CLIENT_ID = "clientId";
    /** Secret form field: the client secret's value. */
    public static final String CLIENT_SECRET = "clientSecret";
    /** Form field: one of {@link Delivery}'s names, default {@code GRAPH}. */
    public static final String DELIVERY = "delivery";
    /** Form field: one of {@link Cloud}'s names, default {@code WORLDWIDE}. */
    public static final String CLOUD = "cloud";
    /** Optional form field: override of the identity platform's base URL. */
    public static final String LOGIN_ENDPOINT = "loginEndpoint";
    /** Optional form field: override of Graph's base URL. */
    public static final String GRAPH_ENDPOINT = "graphEndpoint";
    /** Optional form field: override of the SMTP host for XOAUTH2. */
    public static final String SMTP_HOST = "smtpHost";
    /** Optional form field: override of the SMTP port for XOAUTH2, default 587. */
    public static final String SMTP_PORT = "smtpPort";
    /** Optional form field: {@code STARTTLS} (default) or {@code SSL_TLS} for XOAUTH2. */
    public static final String SMTP_ENCRYPTION = "smtpEncryption";
    /** Form field: "true" or "false", default "false": keep copies in Sent Items (Graph delivery). */
    public static final String SAVE_TO_SENT_ITEMS = "saveToSentItems";
    /** Form field: Reply-To address, optional. */
    public static final String REPLY_TO_ADDRESS = "replyToAddress";
    /** Form field: Reply-To display name, optional. */
    public static final String REPLY_TO_NAME = "replyToName";
    /**
     * Optional form field: the day the client secret expires ({@code YYYY-MM-DD}), as Entra shows it beside the
     * secret; the library warns before it.
     *
     * @since 0.4
     */
    public static final String CLIENT_SECRET_EXPIRES = "clientSecretExpires";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Validates the components.
     *
     * @param sender the mailbox the application sends as, never null
     * @param tenantId the directory (tenant) id: a GUID or a verified domain, never blank
     * @param clientId the application (client) id, a GUID
     * @param clientSecret the client secret's value (not its id), never the keep marker
     * @param delivery how messages leave: Graph {@code sendMail} (permission {@code Mail.Send}) or SMTP with XOAUTH2 (permission {@code SMTP.SendAsApp})
     * @param cloud which Microsoft cloud the tenant lives in; decides token scopes
     * @param endpoints where the identity platform, Graph and SMTP are reached; {@link Endpoints#of(Cloud)} unless overridden (a test fake, a proxy)
     * @param saveToSentItems for Graph delivery: keep a copy of every message in the mailbox's Sent Items. When true the MIME message is posted exactly as composed (Graph's MIME form, which always keeps a copy); when false (the default) it is posted in Graph's JSON form with {@code saveToSentItems: false}, the only form that can switch the copy off
     * @param replyTo the Reply-To, or empty for replies to the sender
     * @param clientSecretExpires the day the client secret expires as the admin entered it, or empty when unknown
     */
    public MicrosoftOAuthConfiguration {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(clientSecretExpires, "clientSecretExpires");
        clientIdProblem(clientId).ifPresent(p -> {
            throw new IllegalArgumentException("invalid clientId: " + p);
        });
        tenantIdProblem(tenantId).ifPresent(p -> {
            throw new IllegalArgumentException("invalid tenantId: " + p);
        });
        if (clientSecret.isKeep()) {
            throw new IllegalArgumentException("clientSecret must be resolved before building a configuration");
        }
    }

    /**
     * A configuration without Reply-To: replies go to the sender.
     *
     * @param sender       the From: the mailbox the application sends as
     * @param tenantId     the directory (tenant) ID
     * @param clientId     the application (client) ID
     * @param clientSecret the client secret's value
     * @param delivery     Graph or SMTP XOAUTH2
     * @param cloud        which Microsoft cloud the tenant lives in
     * @param endpoints    where the identity platform, Graph and SMTP are reached
     * @param saveToSentItems for Graph delivery: keep a copy in Sent Items
     */
    public MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Secret clientSecret,
                                       Delivery delivery, Cloud cloud, Endpoints endpoints, boolean saveToSentItems) {
        this(sender, tenantId, clientId, clientSecret, delivery, cloud, endpoints, saveToSentItems, Optional.empty());
    }

    /**
     * A configuration without a known expiry of its secret, as 0.3 made it.
     *
     * @param sender          the From: the mailbox the application sends as
     * @param tenantId        the directory (tenant) ID
     * @param clientId        the application (client) ID
     * @param clientSecret    the client secret's value
     * @param delivery        Graph or SMTP XOAUTH2
     * @param cloud           which Microsoft cloud the tenant lives in
     * @param endpoints       where the identity platform, Graph and SMTP are reached
     * @param saveToSentItems for Graph delivery: keep a copy in Sent Items
     * @param replyTo         the Reply-To, or empty
     */
    public MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Secret clientSecret,
                                       Delivery delivery, Cloud cloud, Endpoints endpoints, boolean saveToSentItems,
                                       Optional<Sender> replyTo) {
        this(sender, tenantId, clientId, clientSecret, delivery, cloud, endpoints, saveToSentItems, replyTo,
                Optional.empty());
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Checks a directory (tenant) ID without throwing: the one rule the form and this record share.
     *
     * @param candidate may be null
     * @return empty if valid, otherwise the problem in words an administrator understands
     */
    public static java.util.Optional<String> tenantIdProblem(@Nullable String candidate) {
        return tenantIdProblem(candidate, Locale.ROOT);
    }

    /**
     * Checks a directory (tenant) ID without throwing, wording the problem in a locale's language.
     *
     * @param candidate may be null
     * @param locale    the reader's locale (German or English)
     * @return empty if valid, otherwise the problem
     */
    public static java.util.Optional<String> tenantIdProblem(@Nullable String candidate, Locale locale) {
        if (candidate == null || candidate.isBlank()) {
            return java.util.Optional.of(ApiTexts.text("tenant.missing").in(locale));
        }
        if (isGuid(candidate) || CharacterRules.isHostName(candidate) && candidate.contains(".")
                && !CharacterRules.hasControlCharacter(candidate)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ApiTexts.text("tenant.invalid").in(locale));
    }

    /**
     * Checks an application (client) ID without throwing: the one rule the form and this record share.
     *
     * @param candidate may be null
     * @return empty if valid, otherwise the problem
     */
    public static java.util.Optional<String> clientIdProblem(@Nullable String candidate) {
        return clientIdProblem(candidate, Locale.ROOT);
    }

    /**
     * Checks an application (client) ID without throwing, wording the problem in a locale's language.
     *
     * @param candidate may be null
     * @param locale    the reader's locale (German or English)
     * @return empty if valid, otherwise the problem
     */
    public static java.util.Optional<String> clientIdProblem(@Nullable String candidate, Locale locale) {
        if (candidate == null || candidate.isBlank()) {
            return java.util.Optional.of(ApiTexts.text("client.missing").in(locale));
        }
        return isGuid(candidate) ? java.util.Optional.empty()
                : java.util.Optional.of(ApiTexts.text("client.invalid").in(locale));
    }

    /** How a Microsoft configuration delivers messages. */
    public enum Delivery {
        /** Microsoft Graph {@code POST /users/{sender}/sendMail}; needs application permission {@code Mail.Send}. */
        GRAPH,
        /** {@code smtp.office365.com:587}, STARTTLS, AUTH XOAUTH2; needs {@code SMTP.SendAsApp}. */
        SMTP_XOAUTH2
    }

    /**
     * Whether a text is a GUID such as {@code 0d6c2b8e-6b1f-4a57-9d3c-2f1f7d1c9a10}.
     *
     * @param text any text, may be null
     * @return true for a GUID
     */
    public static boolean isGuid(@Nullable String text) {
        return text != null && GUID.matcher(text).matches();
    }

    /** The Microsoft cloud a tenant belongs to; each has its own identity, Graph and SMTP endpoints. */
    public enum Cloud {
        /** Microsoft Entra ID worldwide. */
        WORLDWIDE("https://login.microsoftonline.com", "https://graph.microsoft.com", "smtp.office365.com",
                "https://outlook.office365.com"),
        /** US Government (GCC High and DoD). */
        US_GOVERNMENT("https://login.microsoftonline.us", "https://graph.microsoft.us", "smtp.office365.us",
                "https://outlook.office365.us"),
        /** China, operated by 21Vianet. */
        CHINA("https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn", "smtp.partner.outlook.cn",
                "https://partner.outlook.cn");

        private final URI login;
        private final URI graph;
        private final String smtpHost;
        private final String outlookResource;

        Cloud(String login, String graph, String smtpHost, String outlookResource) {
            this.login = URI.create(login);
            this.graph = URI.create(graph);
            this.smtpHost = smtpHost;
            this.outlookResource = outlookResource;
        }

        /**
         * The token scope for Graph {@code sendMail} (permission {@code Mail.Send}).
         *
         * @return e.g. {@code https://graph.microsoft.com/.default}
         */
        public String graphScope() {
            return graph + "/.default";
        }

        /**
         * The token scope for SMTP XOAUTH2 (permission {@code SMTP.SendAsApp}).
         *
         * @return e.g. {@code https://outlook.office365.com/.default}
         */
        public String smtpScope() {
            return outlookResource + "/.default";
        }

        /**
         * The name a form shows.
         *
         * @param locale reader's locale
         * @return the label
         */
        public String label(Locale locale) {
            boolean de = "de".equals(locale.getLanguage());
            return switch (this) {
                case WORLDWIDE -> de ? "Weltweit" : "Worldwide";
                case US_GOVERNMENT -> de ? "US-Regierung" : "US Government";
                case CHINA -> "China (21Vianet)";
            };
        }
    }

    /**
     * Where a Microsoft configuration connects.
     *
     * @param login the identity platform's base, e.g. {@code https://login.microsoftonline.com}; https only
     * @param graph Graph's base, e.g. {@code https://graph.microsoft.com}; https only
     * @param smtp  the SMTP submission server for XOAUTH2; never {@link Encryption#NONE}, so a token is
     *              never sent in clear
     */
    public record Endpoints(URI login, URI graph, SmtpServer smtp) {

        /**
         * Checks schemes and encryption.
         *
         * @param login the identity platform's base, e.g. {@code https://login.microsoftonline.com}; https only
         * @param graph Graph's base, e.g. {@code https://graph.microsoft.com}; https only
         * @param smtp the SMTP submission server for XOAUTH2; never {@link Encryption#NONE}, so a token is never sent in clear
         */
        public Endpoints {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(graph, "graph");
            Objects.requireNonNull(smtp, "smtp");
            endpointProblem(login.toString()).ifPresent(p -> {
                throw new IllegalArgumentException("invalid identity platform endpoint: " + p);
            });
            endpointProblem(graph.toString(), true).ifPresent(p -> {
                throw new IllegalArgumentException("invalid Graph endpoint: " + p);
            });
            if (smtp.encryption() == Encryption.NONE) {
                throw new IllegalArgumentException("an OAuth token is never sent over an unencrypted SMTP connection");
            }
        }

        /**
         * Checks an identity platform endpoint without throwing: {@code https://}, a host name or IP address,
         * an optional port, and nothing else (no user name or password, path, query or fragment), since the
         * client secret is sent there and msal4j appends the tenant to it. The one rule the form and this
         * record share.
         *
         * @param candidate may be null
         * @return empty if valid, otherwise the problem
         */
        public static java.util.Optional<String> endpointProblem(@Nullable String candidate) {
            return endpointProblem(candidate, false);
        }

        /**
         * Checks an endpoint without throwing, as {@link #endpointProblem(String)} does, optionally allowing a
         * path prefix (a reverse proxy in front of Graph).
         *
         * @param candidate may be null
         * @param allowPath whether a path such as {@code /graph} may follow the host
         * @return empty if valid, otherwise the problem
         */
        public static java.util.Optional<String> endpointProblem(@Nullable String candidate, boolean allowPath) {
            return endpointProblem(candidate, allowPath, Locale.ROOT);
        }

        /**
         * Checks an endpoint without throwing, wording the problem in a locale's language.
         *
         * @param candidate may be null
         * @param allowPath whether a path such as {@code /graph} may follow the host
         * @param locale    the reader's locale (German or English)
         * @return empty if valid, otherwise the problem
         */
        public static java.util.Optional<String> endpointProblem(@Nullable String candidate, boolean allowPath, Locale locale) {
            return endpointProblemText(candidate, allowPath).map(t -> t.in(locale));
        }

        private static java.util.Optional<LocalizedText> endpointProblemText(@Nullable String candidate, boolean allowPath) {
            LocalizedText form = ApiTexts.text(allowPath ? "endpoint.form.path" : "endpoint.form");
            if (candidate == null || candidate.isBlank()) {
                return java.util.Optional.of(ApiTexts.text("endpoint.missing", form));
            }
            URI u;
            try {
                u = new URI(candidate);
            } catch (java.net.URISyntaxException e) {
                return java.util.Optional.of(ApiTexts.text("endpoint.syntax", form));
            }
            if (!"https".equalsIgnoreCase(u.getScheme())) {
                return java.util.Optional.of(ApiTexts.text("endpoint.scheme", form));
            }
            if (u.getRawUserInfo() != null) {
                return java.util.Optional.of(ApiTexts.text("endpoint.userinfo", form));
            }
            String host = u.getHost();
            String bare = host != null && host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host;
            if (bare == null || !CharacterRules.isHostName(bare) && !CharacterRules.isIpv6Literal(bare)) {
                return java.util.Optional.of(ApiTexts.text("endpoint.host", form));
            }
            if (numericNotDottedQuad(bare)) {
                // https://2130706433 is 127.0.0.1 to the resolver: a host that hides where the secret goes.
                return java.util.Optional.of(ApiTexts.text("endpoint.numericHost", form));
            }
            if (u.getPort() == 0 || u.getPort() > 65535 || u.getPort() < -1) {
                return java.util.Optional.of(ApiTexts.text("endpoint.port", form));
            }
            String path = u.getRawPath();
            if (u.getRawQuery() != null || u.getRawFragment() != null) {
                return java.util.Optional.of(ApiTexts.text("endpoint.query", form));
            }
            if (!allowPath && path != null && !path.isEmpty() && !path.equals("/")) {
                return java.util.Optional.of(ApiTexts.text("endpoint.path", form));
            }
            return java.util.Optional.empty();
        }

        /** A host whose last label is all digits is an IP address in disguise unless it is a plain dotted quad. */
        private static boolean numericNotDottedQuad(String host) {
            String last = host.substring(host.lastIndexOf('.') + 1);
            if (last.isEmpty() || !last.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return true;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(p) > 255 || p.length() > 1 && p.charAt(0) == '0') {
                    return true;
                }
            }
            return false;
        }

        /**
         * The public endpoints of a cloud: SMTP on port 587 with STARTTLS.
         *
         * @param cloud the cloud
         * @return the endpoints
         */
        public static Endpoints of(Cloud cloud) {
            return new Endpoints(cloud.login, cloud.graph, SmtpServer.of(cloud.smtpHost, 587, Encryption.STARTTLS));
        }
    }
}

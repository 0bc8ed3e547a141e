package org.emailconfig.api;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
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
 * @param clientSecret the client secret's value (not its id), never the keep marker; null when the credential is
 *                     not a client secret (read {@link #credential()})
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
 * @param clientSecretExpires the day the client secret expires as the admin entered it; empty when unknown or when
 *                     the credential is not a client secret
 * @param credential   how the application proves who it is: a client secret, a certificate or a federated token;
 *                     {@code clientSecret} and {@code clientSecretExpires} repeat a client secret's parts and are
 *                     empty for the other kinds
 */
@API(status = API.Status.STABLE, since = "0.1")
public record MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, @Nullable Secret clientSecret,
                                          Delivery delivery, Cloud cloud, Endpoints endpoints,
                                          boolean saveToSentItems, Optional<Sender> replyTo,
                                          Optional<LocalDate> clientSecretExpires, Credential credential)
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

    /**
     * Form field: how the application proves who it is, one of {@link CredentialKind}'s names, default
     * {@code CLIENT_SECRET}.
     *
     * @since 0.5
     */
    public static final String CREDENTIAL = "credential";
    /**
     * Secret form field: the certificate with its private key, as PEM or as the base64 of a PKCS#12 file.
     *
     * @since 0.5
     */
    public static final String CLIENT_CERTIFICATE = "clientCertificate";
    /**
     * Secret form field, optional: the password of a PKCS#12 file in {@link #CLIENT_CERTIFICATE}.
     *
     * @since 0.5
     */
    public static final String CLIENT_CERTIFICATE_PASSWORD = "clientCertificatePassword";
    /**
     * Form field: the path of the file holding the federated token (Azure Workload Identity mounts it where
     * {@code AZURE_FEDERATED_TOKEN_FILE} points); read again for every token request. Named "path", not "file", so
     * that first-time setup's {@code EMAIL_CONFIG_FEDERATED_TOKEN_PATH} is not read as a value from a file.
     *
     * @since 0.5
     */
    public static final String FEDERATED_TOKEN_PATH = "federatedTokenPath";
    /**
     * View value, not a form field: the configured certificate's SHA-1 thumbprint as Entra shows it.
     *
     * @since 0.5
     */
    public static final String CLIENT_CERTIFICATE_THUMBPRINT = "clientCertificateThumbprint";
    /**
     * View value, not a form field: the configured certificate's subject.
     *
     * @since 0.5
     */
    public static final String CLIENT_CERTIFICATE_SUBJECT = "clientCertificateSubject";
    /**
     * View value, not a form field: when the configured certificate expires (ISO-8601 instant).
     *
     * @since 0.5
     */
    public static final String CLIENT_CERTIFICATE_EXPIRES = "clientCertificateExpires";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Validates the components.
     *
     * @param sender the mailbox the application sends as, never null
     * @param tenantId the directory (tenant) id: a GUID or a verified domain, never blank
     * @param clientId the application (client) id, a GUID
     * @param clientSecret the client secret's value (not its id), never the keep marker; null for another credential
     * @param delivery how messages leave: Graph {@code sendMail} (permission {@code Mail.Send}) or SMTP with XOAUTH2 (permission {@code SMTP.SendAsApp})
     * @param cloud which Microsoft cloud the tenant lives in; decides token scopes
     * @param endpoints where the identity platform, Graph and SMTP are reached; {@link Endpoints#of(Cloud)} unless overridden (a test fake, a proxy)
     * @param saveToSentItems for Graph delivery: keep a copy of every message in the mailbox's Sent Items. When true the MIME message is posted exactly as composed (Graph's MIME form, which always keeps a copy); when false (the default) it is posted in Graph's JSON form with {@code saveToSentItems: false}, the only form that can switch the copy off
     * @param replyTo the Reply-To, or empty for replies to the sender
     * @param clientSecretExpires the day the client secret expires as the admin entered it, or empty when unknown
     * @param credential the credential; a {@link ClientSecret} must repeat {@code clientSecret} and
     *                   {@code clientSecretExpires}, and with any other kind both are empty
     */
    public MicrosoftOAuthConfiguration {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(clientId, "clientId");
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
        Objects.requireNonNull(credential, "credential");
        if (credential instanceof ClientSecret cs) {
            if (!Objects.equals(cs.value(), clientSecret) || !cs.expires().equals(clientSecretExpires)) {
                throw new IllegalArgumentException("clientSecret and clientSecretExpires must repeat the ClientSecret "
                        + "credential");
            }
        } else if (clientSecret != null || clientSecretExpires.isPresent()) {
            throw new IllegalArgumentException("clientSecret is null and clientSecretExpires empty for a "
                    + credential.kind() + " credential");
        }
    }

    /**
     * A configuration with any kind of credential; {@code clientSecret} and {@code clientSecretExpires} follow
     * from it.
     *
     * @param sender          the From: the mailbox the application sends as
     * @param tenantId        the directory (tenant) ID
     * @param clientId        the application (client) ID
     * @param credential      a client secret, a certificate or a federated token
     * @param delivery        Graph or SMTP XOAUTH2
     * @param cloud           which Microsoft cloud the tenant lives in
     * @param endpoints       where the identity platform, Graph and SMTP are reached
     * @param saveToSentItems for Graph delivery: keep a copy in Sent Items
     * @param replyTo         the Reply-To, or empty
     * @since 0.5
     */
    public MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Credential credential,
                                       Delivery delivery, Cloud cloud, Endpoints endpoints, boolean saveToSentItems,
                                       Optional<Sender> replyTo) {
        this(sender, tenantId, clientId, credential instanceof ClientSecret cs ? cs.value() : null,
                delivery, cloud, endpoints, saveToSentItems, replyTo,
                credential instanceof ClientSecret cs ? cs.expires() : Optional.empty(), credential);
    }

    /**
     * A configuration with a client secret, as 0.4 made it.
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
     * @param clientSecretExpires the day the client secret expires, or empty when unknown
     */
    public MicrosoftOAuthConfiguration(Sender sender, String tenantId, String clientId, Secret clientSecret,
                                       Delivery delivery, Cloud cloud, Endpoints endpoints, boolean saveToSentItems,
                                       Optional<Sender> replyTo, Optional<LocalDate> clientSecretExpires) {
        this(sender, tenantId, clientId, clientSecret, delivery, cloud, endpoints, saveToSentItems, replyTo,
                clientSecretExpires, new ClientSecret(clientSecret, clientSecretExpires));
    }

    /**
     * When the credential stops working, as far as known: a client secret's expiry day (it works through that
     * day, UTC) or a certificate's end of validity; empty for a federated token, which is short-lived by design.
     *
     * @return the instant, or empty when unknown
     * @since 0.5
     */
    public Optional<Instant> credentialExpiry() {
        return credential.expiry();
    }

    /** The kinds of {@link Credential}, as the {@link #CREDENTIAL} field names them. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public enum CredentialKind {
        /** A client secret's value. */
        CLIENT_SECRET,
        /** A certificate whose public part is uploaded to the app registration. */
        CERTIFICATE,
        /** A token from another identity provider trusted through a federated identity credential. */
        FEDERATED_TOKEN
    }

    /**
     * How the application proves who it is to the Microsoft identity platform.
     *
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public sealed interface Credential permits ClientSecret, ClientCertificate, FederatedToken {

        /**
         * Which kind this is.
         *
         * @return the kind
         */
        CredentialKind kind();

        /**
         * When it stops working, as far as known.
         *
         * @return the instant, or empty
         */
        Optional<Instant> expiry();
    }

    /**
     * A client secret (Certificates &amp; secrets, Client secrets).
     *
     * @param value   the secret's value (not its id), never the keep marker
     * @param expires the day it expires as Entra shows it, or empty when unknown
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public record ClientSecret(Secret value, Optional<LocalDate> expires) implements Credential {

        /**
         * Checks the parts.
         *
         * @param value the secret's value, never the keep marker
         * @param expires the day it expires, or empty
         */
        public ClientSecret {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expires, "expires");
            if (value.isKeep()) {
                throw new IllegalArgumentException("the client secret must be resolved before building a configuration");
            }
        }

        @Override
        public CredentialKind kind() {
            return CredentialKind.CLIENT_SECRET;
        }

        @Override
        public Optional<Instant> expiry() {
            // The secret works through the whole day Entra shows; from the next day it is refused.
            return expires.map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }

    /**
     * A certificate credential: the private key and its certificate, whose public part is uploaded to the app
     * registration (Certificates &amp; secrets, Certificates). msal4j signs a client assertion with the key for every
     * token request; the key never leaves this application. Immutable; read once when made, so asking for its
     * expiry or thumbprint (health does, on every delivery) costs nothing. Equal when material and password are.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public static final class ClientCertificate implements Credential {

        private final Secret material;
        private final Optional<Secret> password;
        private final CertificateMaterial.Parsed parsed;
        private final String thumbprint;

        /**
         * Reads the material once, so a configuration never holds a certificate it cannot use.
         *
         * @param material the private key and certificate as PEM, or the base64 of a PKCS#12 file
         * @param password the PKCS#12 file's password; empty for none or for PEM
         * @throws IllegalArgumentException naming what is wrong with the material (never quoting it)
         */
        public ClientCertificate(Secret material, Optional<Secret> password) {
            Objects.requireNonNull(material, "material");
            Objects.requireNonNull(password, "password");
            if (material.isKeep() || password.map(Secret::isKeep).orElse(false)) {
                throw new IllegalArgumentException("the certificate must be resolved before building a configuration");
            }
            this.material = material;
            this.password = password;
            this.parsed = CertificateMaterial.parse(material.reveal(), password.map(Secret::reveal).orElse(""));
            this.thumbprint = CertificateMaterial.thumbprint(parsed.certificate(), "SHA-1");
        }

        /**
         * What is wrong with a pasted certificate, without throwing: the one rule the form and this type share.
         *
         * @param material the pasted text
         * @param password the PKCS#12 file's password, or empty
         * @param locale   the reader's locale
         * @return empty when usable, otherwise the problem
         */
        public static Optional<String> problem(String material, String password, Locale locale) {
            try {
                CertificateMaterial.parse(material, password);
                return Optional.empty();
            } catch (CertificateMaterial.Refused e) {
                return Optional.of(e.text().in(locale));
            }
        }

        /**
         * The private key and certificate as pasted: PEM, or the base64 of a PKCS#12 file.
         *
         * @return the material
         */
        public Secret material() {
            return material;
        }

        /**
         * The PKCS#12 file's password.
         *
         * @return empty for none or for PEM
         */
        public Optional<Secret> password() {
            return password;
        }

        /**
         * The same key and certificates as PEM without a password: what a form stores, since reading PEM is quick
         * where a PKCS#12 file's password derivation takes milliseconds on every read.
         *
         * @return a certificate credential holding PEM
         */
        public ClientCertificate asPem() {
            StringBuilder pem = new StringBuilder(CertificateMaterial.pem("PRIVATE KEY", parsed.key().getEncoded()));
            for (X509Certificate c : parsed.chain()) {
                try {
                    pem.append(CertificateMaterial.pem("CERTIFICATE", c.getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("a certificate that was just read cannot be encoded", e);
                }
            }
            return new ClientCertificate(Secret.of(pem.toString()), Optional.empty());
        }

        @Override
        public CredentialKind kind() {
            return CredentialKind.CERTIFICATE;
        }

        /**
         * The private key, to sign client assertions with.
         *
         * @return the key
         */
        public PrivateKey privateKey() {
            return parsed.key();
        }

        /**
         * The key's certificate, first, and any chain pasted with it.
         *
         * @return the chain
         */
        public List<X509Certificate> chain() {
            return parsed.chain();
        }

        /**
         * The certificate's SHA-1 thumbprint in hex capitals, as the app registration lists it.
         *
         * @return e.g. {@code 3F2A...}
         */
        public String thumbprint() {
            return thumbprint;
        }

        /**
         * The certificate's subject.
         *
         * @return e.g. {@code CN=notifications}
         */
        public String subject() {
            return parsed.certificate().getSubjectX500Principal().getName();
        }

        /**
         * The end of the certificate's validity: Entra refuses it from then on.
         *
         * @return the instant
         */
        public Instant notAfter() {
            return parsed.certificate().getNotAfter().toInstant();
        }

        @Override
        public Optional<Instant> expiry() {
            return Optional.of(notAfter());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClientCertificate c && material.equals(c.material) && password.equals(c.password);
        }

        @Override
        public int hashCode() {
            return Objects.hash(material, password);
        }

        /** Names the certificate by thumbprint, never the key. */
        @Override
        public String toString() {
            return "ClientCertificate[thumbprint=" + thumbprint + "]";
        }
    }

    /**
     * A federated credential: a token another identity provider issued (a Kubernetes service account token with
     * Azure Workload Identity, say), which the app registration trusts through a federated identity credential
     * (issuer, subject, audience {@code api://AzureADTokenExchange}). No secret is kept here.
     *
     * @param tokenFile the file holding the token, read again for every token request (the platform renews it);
     *                  empty when the host application supplies the token itself
     *                  ({@code MicrosoftOAuthProvider.withClientAssertions})
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public record FederatedToken(Optional<String> tokenFile) implements Credential {

        /**
         * Checks the part.
         *
         * @param tokenFile the token's file, or empty for a token the host supplies
         */
        public FederatedToken {
            Objects.requireNonNull(tokenFile, "tokenFile");
            tokenFile.flatMap(f -> pathProblem(f, Locale.ROOT)).ifPresent(p -> {
                throw new IllegalArgumentException("invalid tokenFile: " + p);
            });
        }

        /**
         * Checks a token file's path without throwing: an absolute path (the platform mounts the token at one, and
         * a relative one would depend on the application's working directory). The one rule the form and this
         * record share.
         *
         * @param path   the path as entered
         * @param locale the reader's locale
         * @return empty when usable, otherwise the problem
         */
        public static Optional<String> pathProblem(String path, Locale locale) {
            boolean absolute;
            try {
                absolute = !path.isBlank() && !CharacterRules.hasControlCharacter(path)
                        && Path.of(path).isAbsolute();
            } catch (InvalidPathException e) {
                absolute = false;
            }
            return absolute ? Optional.empty() : Optional.of(ApiTexts.text("federated.path").in(locale));
        }

        @Override
        public CredentialKind kind() {
            return CredentialKind.FEDERATED_TOKEN;
        }

        @Override
        public Optional<Instant> expiry() {
            return Optional.empty();
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

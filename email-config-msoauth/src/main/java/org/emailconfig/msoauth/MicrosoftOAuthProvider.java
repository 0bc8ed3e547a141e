package org.emailconfig.msoauth;

import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_EXPIRES;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_PASSWORD;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_SUBJECT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_THUMBPRINT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_ID;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CREDENTIAL;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.FEDERATED_TOKEN_PATH;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_SECRET;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_SECRET_EXPIRES;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLOUD;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.DELIVERY;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.GRAPH_ENDPOINT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.LOGIN_ENDPOINT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.REPLY_TO_ADDRESS;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.REPLY_TO_NAME;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SAVE_TO_SENT_ITEMS;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SENDER_ADDRESS;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SENDER_NAME;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_ENCRYPTION;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_HOST;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_PORT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.TENANT_ID;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.DiagnosisReport.Outcome;
import org.emailconfig.api.DiagnosisReport.Step;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldDescriptor.Section;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.MicrosoftOAuthConfiguration.ClientCertificate;
import org.emailconfig.api.MicrosoftOAuthConfiguration.ClientSecret;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Cloud;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Credential;
import org.emailconfig.api.MicrosoftOAuthConfiguration.CredentialKind;
import org.emailconfig.api.MicrosoftOAuthConfiguration.FederatedToken;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Delivery;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Endpoints;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.DraftValues;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SmtpLogin;
import org.jspecify.annotations.Nullable;

/**
 * Microsoft 365 with OAuth 2.0 client credentials ({@code microsoft-oauth2}). Delivery through Graph
 * {@code sendMail} (default; application permission {@code Mail.Send}) or SMTP XOAUTH2
 * ({@code SMTP.SendAsApp}, an Exchange service principal and mailbox permission). Field names are the
 * constants of {@link MicrosoftOAuthConfiguration}.
 *
 * <p>Thread-safe. It keeps the confidential clients and their cached tokens for the configurations
 * it has seen, so a save's test email and the notifications after it share one token.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class MicrosoftOAuthProvider implements AuthenticationProvider {

    private static final String GRAPH = Delivery.GRAPH.name();
    private static final String SMTP = Delivery.SMTP_XOAUTH2.name();

    /**
     * What a stored credential is bound to: a secret or key must never be sent to another tenant, application,
     * cloud, delivery or endpoint without the admin entering it again, nor carried into another credential kind.
     */
    private static final String[] CREDENTIAL_BOUND = {TENANT_ID, CLIENT_ID, DELIVERY, CLOUD, LOGIN_ENDPOINT,
            GRAPH_ENDPOINT, SMTP_HOST, SMTP_PORT, SMTP_ENCRYPTION, CREDENTIAL};

    private static final List<FieldDescriptor> FIELDS = List.of(
            FieldDescriptor.builder(SENDER_ADDRESS, FieldKind.EMAIL, "Sender address", "Absenderadresse").required()
                    .section(Section.SENDER)
                    .description("A mailbox in your tenant that the application may send as.",
                            "Ein Postfach in Ihrem Mandanten, als das die Anwendung senden darf.").build(),
            FieldDescriptor.builder(SENDER_NAME, FieldKind.TEXT, "Sender name", "Absendername").section(Section.SENDER)
                    .description("Shown to recipients beside the address, such as your product's name.",
                            "Wird Empf\u00e4ngern neben der Adresse gezeigt, etwa der Name Ihres Produkts.").build(),
            // Graph sets the envelope sender itself: only a Reply-To can be chosen.
            FieldDescriptor.builder(REPLY_TO_ADDRESS, FieldKind.EMAIL, "Reply-To address", "Antwortadresse")
                    .section(Section.SENDER)
                    .description("Where replies go, if not to the sender address.",
                            "Wohin Antworten gehen, wenn nicht an die Absenderadresse.").build(),
            FieldDescriptor.builder(REPLY_TO_NAME, FieldKind.TEXT, "Reply-To name", "Name der Antwortadresse")
                    .section(Section.SENDER)
                    .description("The name shown with the Reply-To address.", "Der Name zur Antwortadresse.").build(),
            FieldDescriptor.builder(DELIVERY, FieldKind.CHOICE, "Delivery", "Versand").required()
                    .defaultValue(GRAPH).section(Section.SERVER)
                    .allowedValues(Arrays.stream(Delivery.values()).map(Enum::name).toList())
                    .valueLabel(GRAPH, "Microsoft Graph (permission Mail.Send)",
                            "Microsoft Graph (Berechtigung Mail.Send)")
                    .valueLabel(SMTP, "SMTP with OAuth (permission SMTP.SendAsApp)",
                            "SMTP mit OAuth (Berechtigung SMTP.SendAsApp)")
                    .description("Graph needs the application permission Mail.Send; SMTP needs SMTP.SendAsApp, the "
                                    + "Exchange service principal and the mailbox permission.",
                            "Graph braucht die Anwendungsberechtigung Mail.Send; SMTP braucht SMTP.SendAsApp, den "
                                    + "Exchange-Dienstprinzipal und die Postfachberechtigung.").build(),
            FieldDescriptor.builder(SAVE_TO_SENT_ITEMS, FieldKind.BOOLEAN, "Keep copies in Sent Items",
                    "Kopien in \u201eGesendete Elemente\u201c behalten").defaultValue("false").section(Section.SERVER)
                    .shownWhen(DELIVERY, GRAPH)
                    .description("Graph keeps a copy of every notification in the sender mailbox.",
                            "Graph legt von jeder Benachrichtigung eine Kopie im Absenderpostfach ab.").build(),
            FieldDescriptor.builder(CLOUD, FieldKind.CHOICE, "Microsoft cloud", "Microsoft-Cloud").required()
                    .defaultValue(Cloud.WORLDWIDE.name()).section(Section.SERVER)
                    .allowedValues(Arrays.stream(Cloud.values()).map(Enum::name).toList())
                    .valueLabel(Cloud.WORLDWIDE.name(), "Worldwide", "Weltweit")
                    .valueLabel(Cloud.US_GOVERNMENT.name(), "US Government (GCC High, DoD)",
                            "US-Regierung (GCC High, DoD)")
                    .valueLabel(Cloud.CHINA.name(), "China (21Vianet)", "China (21Vianet)")
                    .description("Worldwide unless your tenant is in a national cloud.",
                            "Weltweit, au\u00dfer Ihr Mandant liegt in einer nationalen Cloud.").build(),
            FieldDescriptor.builder(CLIENT_ID, FieldKind.TEXT, "Application (client) ID", "Anwendungs-ID (Client)")
                    .required()
                    .description("Entra admin center: App registrations, your app, Overview.",
                            "Entra Admin Center: App-Registrierungen, Ihre App, \u00dcbersicht.").build(),
            FieldDescriptor.builder(TENANT_ID, FieldKind.TEXT, "Directory (tenant) ID", "Verzeichnis-ID (Mandant)")
                    .required()
                    .description("On the same Overview page, below the application ID.",
                            "Auf derselben \u00dcbersicht, unter der Anwendungs-ID.").build(),
            FieldDescriptor.builder(CREDENTIAL, FieldKind.CHOICE, "Credential", "Anmeldeinformation").required()
                    .defaultValue(CredentialKind.CLIENT_SECRET.name())
                    .allowedValues(Arrays.stream(CredentialKind.values()).map(Enum::name).toList())
                    .valueLabel(CredentialKind.CLIENT_SECRET.name(), "Client secret", "Geheimer Clientschl\u00fcssel")
                    .valueLabel(CredentialKind.CERTIFICATE.name(), "Certificate", "Zertifikat")
                    .valueLabel(CredentialKind.FEDERATED_TOKEN.name(), "Federated credential (workload identity)",
                            "Verbundanmeldeinformation (Workload-Identit\u00e4t)")
                    .description("Microsoft recommends a certificate: it does not expire into an outage every two "
                                    + "years, and its key never leaves this application. A federated credential needs "
                                    + "no secret at all (Kubernetes with Azure Workload Identity).",
                            "Microsoft empfiehlt ein Zertifikat: Es l\u00e4uft nicht alle zwei Jahre in einen "
                                    + "Ausfall, und sein Schl\u00fcssel verl\u00e4sst diese Anwendung nie. Eine "
                                    + "Verbundanmeldeinformation braucht gar kein Geheimnis (Kubernetes mit Azure "
                                    + "Workload Identity).").build(),
            FieldDescriptor.builder(CLIENT_SECRET, FieldKind.SECRET, "Client secret (value)",
                            "Geheimer Clientschl\u00fcssel (Wert)")
                    .required().shownWhen(CREDENTIAL, CredentialKind.CLIENT_SECRET.name())
                    .reenterWhenChanged(CREDENTIAL_BOUND)
                    .description("Certificates & secrets, the secret's Value (not its Secret ID), shown there only "
                                    + "once. Never shown again here.",
                            "Zertifikate & Geheimnisse, der Wert des Geheimnisses (nicht seine ID), dort nur einmal "
                                    + "angezeigt. Hier nie wieder angezeigt.").build(),
            FieldDescriptor.builder(CLIENT_SECRET_EXPIRES, FieldKind.TEXT, "Client secret expires",
                            "Geheimer Clientschl\u00fcssel l\u00e4uft ab am")
                    .shownWhen(CREDENTIAL, CredentialKind.CLIENT_SECRET.name())
                    .description("Optional, YYYY-MM-DD: the Expires column beside the secret under Certificates & "
                                    + "secrets, Client secrets (at most 24 months away). Warned about 30 and 7 days "
                                    + "before, so nobody learns it from users.",
                            "Optional, JJJJ-MM-TT: die Spalte \u201eL\u00e4uft ab\u201c neben dem Geheimnis unter "
                                    + "Zertifikate & Geheimnisse, Geheime Clientschl\u00fcssel (h\u00f6chstens 24 "
                                    + "Monate entfernt). Gewarnt wird 30 und 7 Tage vorher, damit es niemand von "
                                    + "Benutzern erf\u00e4hrt.").build(),
            FieldDescriptor.builder(CLIENT_CERTIFICATE, FieldKind.SECRET, "Certificate with private key",
                            "Zertifikat mit privatem Schl\u00fcssel")
                    .required().shownWhen(CREDENTIAL, CredentialKind.CERTIFICATE.name())
                    .reenterWhenChanged(CREDENTIAL_BOUND)
                    .description("PEM with the private key and the certificate (-----BEGIN PRIVATE KEY----- ... "
                                    + "-----BEGIN CERTIFICATE----- ...), or the base64 of a .pfx file (base64 -w0 "
                                    + "app.pfx). Upload only the certificate to the app registration (Certificates & "
                                    + "secrets, Certificates); the key stays here, sealed, and is never shown again.",
                            "PEM mit privatem Schl\u00fcssel und Zertifikat (-----BEGIN PRIVATE KEY----- ... "
                                    + "-----BEGIN CERTIFICATE----- ...), oder das Base64 einer .pfx-Datei (base64 -w0 "
                                    + "app.pfx). Laden Sie nur das Zertifikat in die App-Registrierung hoch "
                                    + "(Zertifikate & Geheimnisse, Zertifikate); der Schl\u00fcssel bleibt hier, "
                                    + "versiegelt, und wird nie wieder angezeigt.").build(),
            FieldDescriptor.builder(CLIENT_CERTIFICATE_PASSWORD, FieldKind.SECRET, "Password of the .pfx file",
                            "Kennwort der .pfx-Datei")
                    .shownWhen(CREDENTIAL, CredentialKind.CERTIFICATE.name())
                    .reenterWhenChanged(CREDENTIAL_BOUND)
                    .description("Only for a .pfx file exported with a password; PEM needs none.",
                            "Nur f\u00fcr eine mit Kennwort exportierte .pfx-Datei; PEM braucht keines.").build(),
            FieldDescriptor.builder(FEDERATED_TOKEN_PATH, FieldKind.TEXT, "Federated token file",
                            "Datei des Verbund-Tokens")
                    .shownWhen(CREDENTIAL, CredentialKind.FEDERATED_TOKEN.name())
                    .description("The file Azure Workload Identity mounts, where AZURE_FEDERATED_TOKEN_FILE points "
                                    + "(usually /var/run/secrets/azure/tokens/azure-identity-token); read again for "
                                    + "every token. Empty when this application supplies the token itself.",
                            "Die Datei, die Azure Workload Identity bereitstellt, wohin AZURE_FEDERATED_TOKEN_FILE "
                                    + "zeigt (meist /var/run/secrets/azure/tokens/azure-identity-token); f\u00fcr "
                                    + "jedes Token neu gelesen. Leer, wenn diese Anwendung das Token selbst "
                                    + "liefert.").build(),
            FieldDescriptor.builder(LOGIN_ENDPOINT, FieldKind.TEXT, "Identity platform URL",
                    "URL der Identit\u00e4tsplattform").section(Section.SERVER).advanced()
                    .description("Only for a proxy or a test platform; the cloud sets it otherwise.",
                            "Nur f\u00fcr einen Proxy oder eine Testplattform; sonst gibt die Cloud sie vor.").build(),
            FieldDescriptor.builder(GRAPH_ENDPOINT, FieldKind.TEXT, "Graph URL", "Graph-URL").section(Section.SERVER)
                    .advanced().shownWhen(DELIVERY, GRAPH)
                    .description("Only for a proxy or a test platform; the cloud sets it otherwise.",
                            "Nur f\u00fcr einen Proxy oder eine Testplattform; sonst gibt die Cloud sie vor.").build(),
            FieldDescriptor.builder(SMTP_HOST, FieldKind.HOST, "SMTP host", "SMTP-Server").section(Section.SERVER)
                    .advanced().shownWhen(DELIVERY, SMTP)
                    .description("Only for a relay or a test server; the cloud sets it otherwise.",
                            "Nur f\u00fcr ein Relay oder einen Testserver; sonst gibt die Cloud ihn vor.").build(),
            FieldDescriptor.builder(SMTP_PORT, FieldKind.PORT, "SMTP port", "SMTP-Port").section(Section.SERVER)
                    .advanced().shownWhen(DELIVERY, SMTP)
                    .description("587 unless the SMTP host says otherwise.",
                            "587, wenn der SMTP-Server nichts anderes verlangt.").build(),
            FieldDescriptor.builder(SMTP_ENCRYPTION, FieldKind.CHOICE, "SMTP encryption", "SMTP-Verschl\u00fcsselung")
                    .section(Section.SERVER).advanced().shownWhen(DELIVERY, SMTP)
                    .allowedValues(List.of(Encryption.STARTTLS.name(), Encryption.SSL_TLS.name()))
                    .valueLabel(Encryption.STARTTLS.name(), "STARTTLS", "STARTTLS")
                    .valueLabel(Encryption.SSL_TLS.name(), "SSL/TLS", "SSL/TLS")
                    .description("A token is never sent unencrypted.",
                            "Ein Token wird nie unverschl\u00fcsselt gesendet.").build());

    private final TokenService tokens;
    private final Map<HttpKey, HttpClient> httpClients = new ConcurrentHashMap<>();
    private final @Nullable Supplier<String> hostAssertions;

    private record HttpKey(SSLContext tls, Duration connectTimeout) {
    }

    /** Called by {@link java.util.ServiceLoader}; does no I/O. */
    public MicrosoftOAuthProvider() {
        this(null);
    }

    private MicrosoftOAuthProvider(@Nullable Supplier<String> hostAssertions) {
        this.hostAssertions = hostAssertions;
        this.tokens = new TokenService(hostAssertions);
    }

    /**
     * A provider whose federated credential may come from the host instead of a file: for a workload whose
     * platform hands out tokens through an API (a cloud's metadata endpoint, a secrets agent). Register it with
     * {@code EmailConfig.builder().provider(...)}; it replaces the discovered one. A configuration whose federated
     * token path is empty then asks the supplier on every token request (so it can hand out a new token when the
     * last one nears its expiry); one that names a file reads the file.
     *
     * @param assertions returns a current federated token (a JWT); may throw, which fails that token request
     *                   with {@link Reason#OAUTH_CREDENTIAL_UNREADABLE}
     * @return a provider
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public static MicrosoftOAuthProvider withClientAssertions(Supplier<String> assertions) {
        return new MicrosoftOAuthProvider(Objects.requireNonNull(assertions, "assertions"));
    }

    @Override
    public String type() {
        return MicrosoftOAuthConfiguration.TYPE;
    }

    @Override
    public String displayName(Locale locale) {
        return "Microsoft OAuth 2.0 (Microsoft 365)";
    }

    @Override
    public List<FieldDescriptor> fields() {
        return FIELDS;
    }

    @Override
    public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
        List<Violation> violations = new ArrayList<>();
        String sender = draft.text(SENDER_ADDRESS).orElse(null);
        String tenant = draft.text(TENANT_ID).orElse(null);
        String client = draft.text(CLIENT_ID).orElse(null);
        String login = draft.text(LOGIN_ENDPOINT).orElse(null);
        Locale locale = context.locale();
        Delivery delivery = choice(Delivery.class, draft, DELIVERY, Delivery.GRAPH, violations, locale);
        Cloud cloud = choice(Cloud.class, draft, CLOUD, Cloud.WORLDWIDE, violations, locale);
        // A field the chosen delivery hides is neither checked nor kept: the page does not show it, so a value
        // left from the other delivery must not surprise the admin later.
        boolean viaGraph = delivery == Delivery.GRAPH;
        String graph = viaGraph ? draft.text(GRAPH_ENDPOINT).orElse(null) : null;
        String smtpHost = viaGraph ? null : draft.text(SMTP_HOST).orElse(null);
        DraftValues values = DraftValues.of(draft, FIELDS, locale);
        Optional<Sender> replyTo = values.optionalSender(REPLY_TO_ADDRESS, REPLY_TO_NAME);
        violations.addAll(values.violations());
        violations.addAll(context.validate(new MicrosoftOAuthForm(sender, draft.value(SENDER_NAME).orElse(null), tenant,
                client, login, graph, smtpHost), Texts::bundle));
        Encryption smtpEncryption = viaGraph ? null : choice(Encryption.class, draft, SMTP_ENCRYPTION,
                Encryption.STARTTLS, violations, locale);
        if (smtpEncryption == Encryption.NONE) {
            violations.add(new Violation(SMTP_ENCRYPTION, "invalid", Texts.text("field.tokenUnencrypted").in(locale)));
        }
        Integer smtpPort = viaGraph ? null : port(draft.text(SMTP_PORT).orElse(null), violations, locale);
        String save = viaGraph ? draft.text(SAVE_TO_SENT_ITEMS).orElse(null) : null;
        if (save != null && !save.equalsIgnoreCase("true") && !save.equalsIgnoreCase("false")) {
            violations.add(new Violation(SAVE_TO_SENT_ITEMS, "invalid", Texts.text("field.boolean").in(locale)));
        }
        CredentialKind kind = choice(CredentialKind.class, draft, CREDENTIAL, CredentialKind.CLIENT_SECRET, violations,
                locale);
        Credential credential = switch (kind) {
            case CLIENT_SECRET -> clientSecret(draft, violations, locale);
            case CERTIFICATE -> certificate(draft, violations, locale);
            case FEDERATED_TOKEN -> federated(draft, violations, locale);
        };
        if (!violations.isEmpty()) {
            throw new InvalidConfigurationException(violations);
        }
        Endpoints defaults = Endpoints.of(cloud);
        Endpoints endpoints = new Endpoints(
                login == null ? defaults.login() : URI.create(login),
                graph == null ? defaults.graph() : URI.create(graph),
                SmtpServer.of(smtpHost == null ? defaults.smtp().host() : smtpHost,
                        smtpPort == null ? defaults.smtp().port() : smtpPort,
                        smtpEncryption == null ? defaults.smtp().encryption() : smtpEncryption));
        return new MicrosoftOAuthConfiguration(Sender.of(EmailAddress.of(Objects.requireNonNull(sender)),
                draft.value(SENDER_NAME).orElse(null)), Objects.requireNonNull(tenant), Objects.requireNonNull(client),
                Objects.requireNonNull(credential), delivery, cloud, endpoints, Boolean.parseBoolean(save), replyTo);
    }

    /** The client secret and its optional expiry day; null with a violation when unusable. */
    private static @Nullable Credential clientSecret(ConfigurationDraft draft, List<Violation> violations, Locale locale) {
        Optional<java.time.LocalDate> expires = Optional.empty();
        String expiresText = draft.text(CLIENT_SECRET_EXPIRES).orElse(null);
        if (expiresText != null) {
            try {
                expires = Optional.of(java.time.LocalDate.parse(expiresText.strip()));
            } catch (java.time.format.DateTimeParseException e) {
                violations.add(new Violation(CLIENT_SECRET_EXPIRES, "invalid", Texts.text("field.date").in(locale)));
            }
        }
        Secret secret = draft.secret(CLIENT_SECRET);
        if (secret.isKeep() || secret.reveal().isBlank()) {
            violations.add(new Violation(CLIENT_SECRET, "required", Texts.text("field.secret.required").in(locale)));
            return null;
        }
        if (MicrosoftOAuthConfiguration.isGuid(secret.reveal().strip())) {
            violations.add(new Violation(CLIENT_SECRET, "invalid", Texts.text("field.secret.isId").in(locale)));
            return null;
        }
        // Secrets copied from the portal often carry a stray space or line break; Entra secrets have none.
        return new ClientSecret(Secret.of(secret.reveal().strip()), expires);
    }

    /**
     * The certificate, stored as PEM whatever was pasted (a .pfx file's password derivation would cost tens of
     * milliseconds on every read); null with a violation when unusable.
     */
    private static @Nullable Credential certificate(ConfigurationDraft draft, List<Violation> violations,
                                                    Locale locale) {
        Secret material = draft.secret(CLIENT_CERTIFICATE);
        if (material.isKeep() || material.reveal().isBlank()) {
            violations.add(new Violation(CLIENT_CERTIFICATE, "required",
                    Texts.text("field.certificate.required").in(locale)));
            return null;
        }
        Secret password = draft.secret(CLIENT_CERTIFICATE_PASSWORD);
        Optional<Secret> pw = password.isKeep() || password.reveal().isEmpty() ? Optional.empty() : Optional.of(password);
        Optional<String> problem = ClientCertificate.problem(material.reveal(), pw.map(Secret::reveal).orElse(""),
                locale);
        if (problem.isPresent()) {
            violations.add(new Violation(CLIENT_CERTIFICATE, "invalid", problem.get()));
            return null;
        }
        return new ClientCertificate(material, pw).asPem();
    }

    /** The federated token's file, or none when the host supplies tokens; null with a violation when neither. */
    private @Nullable Credential federated(ConfigurationDraft draft, List<Violation> violations, Locale locale) {
        String file = draft.text(FEDERATED_TOKEN_PATH).map(String::strip).orElse(null);
        if (file == null && hostAssertions == null) {
            violations.add(new Violation(FEDERATED_TOKEN_PATH, "required",
                    Texts.text("field.federatedPath.required").in(locale)));
            return null;
        }
        Optional<String> problem = file == null ? Optional.empty() : FederatedToken.pathProblem(file, locale);
        if (problem.isPresent()) {
            violations.add(new Violation(FEDERATED_TOKEN_PATH, "invalid", problem.get()));
            return null;
        }
        return new FederatedToken(Optional.ofNullable(file));
    }

    @Override
    public ConfigurationDraft unbind(EmailConfiguration configuration) {
        return draft((MicrosoftOAuthConfiguration) configuration);
    }

    /**
     * The configuration as a draft: the form's values, the view's certificate lines, and its secrets. The one list
     * of a configuration's secrets, which the engine masks by and so do the token failures ({@link MsalFailures}).
     */
    static ConfigurationDraft draft(MicrosoftOAuthConfiguration c) {
        Endpoints defaults = Endpoints.of(c.cloud());
        Endpoints e = c.endpoints();
        ConfigurationDraft.Builder d = ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                .set(SENDER_ADDRESS, c.sender().address().value())
                .set(SENDER_NAME, c.sender().displayName())
                .set(TENANT_ID, c.tenantId())
                .set(CLIENT_ID, c.clientId())
                .set(DELIVERY, c.delivery().name())
                .set(CLOUD, c.cloud().name())
                .set(SAVE_TO_SENT_ITEMS, Boolean.toString(c.saveToSentItems()))
                .set(LOGIN_ENDPOINT, e.login().equals(defaults.login()) ? null : e.login().toString())
                .set(GRAPH_ENDPOINT, e.graph().equals(defaults.graph()) ? null : e.graph().toString())
                .set(SMTP_HOST, e.smtp().host().equals(defaults.smtp().host()) ? null : e.smtp().host())
                .set(SMTP_PORT, e.smtp().port() == defaults.smtp().port() ? null : Integer.toString(e.smtp().port()))
                .set(SMTP_ENCRYPTION, e.smtp().encryption() == defaults.smtp().encryption() ? null : e.smtp().encryption().name())
                .set(REPLY_TO_ADDRESS, c.replyTo().map(r -> r.address().value()).orElse(null))
                .set(REPLY_TO_NAME, c.replyTo().map(Sender::displayName).orElse(null))
                .set(CREDENTIAL, c.credential().kind().name());
        Credential credential = c.credential();
        if (credential instanceof ClientSecret cs) {
            d.set(CLIENT_SECRET_EXPIRES, cs.expires().map(Object::toString).orElse(null)).secret(CLIENT_SECRET, cs.value());
        } else if (credential instanceof ClientCertificate cc) {
            // What the view shows of a certificate: how Entra lists it, never the key.
            d.secret(CLIENT_CERTIFICATE, cc.material())
                    .set(CLIENT_CERTIFICATE_THUMBPRINT, cc.thumbprint())
                    .set(CLIENT_CERTIFICATE_SUBJECT, cc.subject())
                    .set(CLIENT_CERTIFICATE_EXPIRES, cc.notAfter().toString());
            cc.password().ifPresent(p -> d.secret(CLIENT_CERTIFICATE_PASSWORD, p));
        } else if (credential instanceof FederatedToken ft) {
            d.set(FEDERATED_TOKEN_PATH, ft.tokenFile().orElse(null));
        }
        return d.build();
    }

    @Override
    public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
        MicrosoftOAuthConfiguration c = (MicrosoftOAuthConfiguration) configuration;
        return switch (c.delivery()) {
            case GRAPH -> {
                // Fetch the token now, so wrong credentials fail the open (and the save) with their own reason.
                tokens.token(c, c.cloud().graphScope(), context);
                HttpClient http = httpClients.computeIfAbsent(new HttpKey(context.sslContext(), context.connectTimeout()),
                        k -> HttpClient.newBuilder().sslContext(k.tls()).connectTimeout(k.connectTimeout())
                                .followRedirects(HttpClient.Redirect.NEVER).build());
                yield new GraphDelivery(http, tokens, c, context);
            }
            case SMTP_XOAUTH2 -> openSmtp(c, context);
        };
    }

    /**
     * Requests a fresh token (the check shows what the platform says now, not a cached answer), reads the
     * permissions it carries, and for SMTP XOAUTH2 checks the server and the login with it. Sends nothing.
     */
    @Override
    public DiagnosisReport diagnose(EmailConfiguration configuration, DeliveryContext context) {
        MicrosoftOAuthConfiguration c = (MicrosoftOAuthConfiguration) configuration;
        boolean graph = c.delivery() == Delivery.GRAPH;
        String scope = graph ? c.cloud().graphScope() : c.cloud().smtpScope();
        String needed = graph ? "Mail.Send" : "SMTP.SendAsApp";
        String api = graph ? "Microsoft Graph" : "Office 365 Exchange Online";
        String app = c.clientId();
        tokens.invalidate(c, scope, context);
        long started = System.nanoTime();
        Secret token;
        try {
            token = tokens.token(c, scope, context);
        } catch (DeliveryFailedException e) {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("endpoint", c.endpoints().login().toString());
            e.serverReply().ifPresent(r -> facts.put("error", r));
            e.requestId().ifPresent(id -> facts.put("correlationId", id));
            return new DiagnosisReport(List.of(new Step(Step.TOKEN, Outcome.FAILED, since(started),
                    Texts.text(e.temporary() ? "diag.token.unavailable" : "diag.token.failed", app), facts)), List.of(), e);
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(Step.TOKEN, Outcome.PASSED, since(started), Texts.text("diag.token.passed", app, scope),
                Map.of("endpoint", c.endpoints().login().toString(), "scope", scope)));
        Optional<List<String>> roles = TokenClaims.roles(token.reveal());
        if (roles.isEmpty()) {
            steps.add(new Step(Step.PERMISSIONS, Outcome.SKIPPED, Duration.ZERO,
                    Texts.text("diag.permissions.unreadable"), Map.of()));
        } else if (roles.get().contains(needed)) {
            steps.add(new Step(Step.PERMISSIONS, Outcome.PASSED, Duration.ZERO,
                    Texts.text("diag.permissions.passed", String.join(", ", roles.get())),
                    Map.of("roles", String.join(", ", roles.get()))));
        } else if (graph) {
            // Mail.Send granted through RBAC for Applications (the least-privilege setup) lives in Exchange, not in
            // the token: a token without it may be missing the permission or be scoped right. Only sending tells.
            LocalizedText both = Texts.text("diag.permissions.graphUnseen", c.sender().address(), app);
            steps.add(new Step(Step.PERMISSIONS, Outcome.WARNING, Duration.ZERO, both,
                    Map.of("roles", String.join(", ", roles.get()), "needed", needed)));
            return new DiagnosisReport(steps, List.of(both), null).then(new DiagnosisReport(List.of(new Step(
                    Step.GRAPH, Outcome.SKIPPED, Duration.ZERO, Texts.text("diag.graph.skipped"),
                    Map.of("endpoint", c.endpoints().graph().toString()))), List.of(), null));
        } else {
            LocalizedText fix = Texts.text("hint.permissionMissing", needed, api);
            steps.add(new Step(Step.PERMISSIONS, Outcome.FAILED, Duration.ZERO, roles.get().isEmpty()
                    ? Texts.text("diag.permissions.none", needed)
                    : Texts.text("diag.permissions.failed", needed, String.join(", ", roles.get())),
                    Map.of("roles", String.join(", ", roles.get()), "needed", needed)));
            DeliveryFailedException missing = DeliveryFailedException.builder(Reason.OAUTH_PERMISSION_MISSING,
                    "The token for application " + app + " carries no application permission " + needed + " ("
                            + api + ")").hint(fix).step(DeliveryStep.TOKEN).build();
            return new DiagnosisReport(steps, List.of(fix), missing);
        }
        DiagnosisReport tokenPart = new DiagnosisReport(steps, List.of(), null);
        if (graph) {
            return tokenPart.then(new DiagnosisReport(List.of(new Step(Step.GRAPH, Outcome.SKIPPED, Duration.ZERO,
                    Texts.text("diag.graph.skipped"), Map.of("endpoint", c.endpoints().graph().toString()))),
                    List.of(), null));
        }
        DiagnosisReport smtp = context.smtp().diagnose(c.endpoints().smtp(),
                new SmtpLogin.XOAuth2(c.sender().address().value(), token));
        // A refusal is worded for Exchange by explain(), as the engine passes every failure of this provider.
        return tokenPart.then(smtp);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private MailDelivery openSmtp(MicrosoftOAuthConfiguration c, DeliveryContext context) {
        String scope = c.cloud().smtpScope();
        Secret cached = tokens.token(c, scope, context);
        try {
            return connectXoauth2(c, context, cached);
        } catch (DeliveryFailedException first) {
            if (first.reason() != Reason.AUTH_REJECTED) {
                throw first;
            }
            // The cached token may predate a permission the admin just granted, or be revoked: drop it and try
            // once with a fresh one instead of failing until it expires.
            tokens.invalidate(c, scope, context, cached);
        }
        // Refused again with a fresh token: explain() reads it as the Exchange side missing.
        return connectXoauth2(c, context, tokens.token(c, scope, context));
    }

    /**
     * What Exchange Online's refusal of an XOAUTH2 session means, with the fix worded for this application and
     * mailbox; the one reading for a save, a notification and the check. A refused login with a token the platform
     * has just issued means the Exchange side of the setup is missing (there is no password to check).
     */
    private static DeliveryFailedException xoauth2Refusal(MicrosoftOAuthConfiguration c, DeliveryFailedException e) {
        String mailbox = c.sender().address().value();
        String reply = e.serverReply().orElse("");
        String lower = reply.toLowerCase(Locale.ROOT);
        switch (e.reason()) {
            case AUTH_REJECTED:
                return DeliveryFailedException.builder(Reason.OAUTH_PERMISSION_MISSING, String.valueOf(e.getMessage()))
                        .hint(Texts.text("hint.smtpSendAsApp", mailbox, c.clientId()))
                        .serverReply(e.serverReply().orElse(null)).step(e.step().orElse(null)).cause(e).build();
            case SMTP_AUTH_DISABLED:
                boolean tenantWide = lower.contains("for the tenant") || lower.contains("security defaults");
                String mailboxCommand = "Set-CASMailbox -Identity " + mailbox + " -SmtpClientAuthenticationDisabled $false";
                return e.toBuilder().hint(Texts.text("hint.smtpAuthDisabledXoauth2", mailbox,
                        tenantWide ? c.tenantId() : mailbox, tenantWide
                                ? "Set-TransportConfig -SmtpClientAuthenticationDisabled $false; " + mailboxCommand
                                : mailboxCommand)).build();
            case AUTH_REQUIRED:
                return reply.contains("5.7.57")
                        ? e.toBuilder().hint(Texts.text("hint.notAuthenticatedXoauth2", mailbox)).build() : e;
            case SENDER_NOT_ALLOWED:
                return reply.contains("5.2.252") || lower.contains("sendasdenied")
                        ? e.toBuilder().hint(Texts.text("hint.sendAsDeniedXoauth2", mailbox)).build() : e;
            default:
                return e;
        }
    }

    private MailDelivery connectXoauth2(MicrosoftOAuthConfiguration c, DeliveryContext context, Secret token) {
        return context.smtp().connect(c.endpoints().smtp(), new SmtpLogin.XOAuth2(c.sender().address().value(), token));
    }

    /**
     * Exchange Online's refusals of an XOAUTH2 session during a send (530 5.7.57 at MAIL FROM, SendAsDenied after
     * the message), read by the engine as SMTP in general, carry the fix for this application and mailbox, as a
     * refused login does. Graph's failures are worded where they are read.
     */
    @Override
    public DeliveryFailedException explain(EmailConfiguration configuration, DeliveryFailedException failure) {
        return configuration instanceof MicrosoftOAuthConfiguration c && c.delivery() == Delivery.SMTP_XOAUTH2
                ? xoauth2Refusal(c, failure) : failure;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, ConfigurationDraft draft, String field, E fallback,
                                                List<Violation> violations, Locale locale) {
        String v = draft.text(field).orElse(null);
        if (v == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(field, "invalid", Texts.text("field.choice",
                    Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()).in(locale)));
            return fallback;
        }
    }

    private static @Nullable Integer port(@Nullable String text, List<Violation> violations, Locale locale) {
        if (text == null) {
            return null;
        }
        try {
            int p = Integer.parseInt(text);
            if (SmtpServer.portProblem(p).isEmpty()) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation(SMTP_PORT, "out_of_range", SmtpServer.portProblem(-1, locale).orElseThrow()));
        return null;
    }
}

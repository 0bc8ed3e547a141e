package org.emailconfig.smtp.basic;

import static org.emailconfig.api.PasswordSmtpConfiguration.AUTHENTICATION;
import static org.emailconfig.api.PasswordSmtpConfiguration.ENCRYPTION;
import static org.emailconfig.api.PasswordSmtpConfiguration.ENVELOPE_FROM;
import static org.emailconfig.api.PasswordSmtpConfiguration.HOST;
import static org.emailconfig.api.PasswordSmtpConfiguration.PASSWORD;
import static org.emailconfig.api.PasswordSmtpConfiguration.PORT;
import static org.emailconfig.api.PasswordSmtpConfiguration.REPLY_TO_ADDRESS;
import static org.emailconfig.api.PasswordSmtpConfiguration.REPLY_TO_NAME;
import static org.emailconfig.api.PasswordSmtpConfiguration.SENDER_ADDRESS;
import static org.emailconfig.api.PasswordSmtpConfiguration.SENDER_NAME;
import static org.emailconfig.api.PasswordSmtpConfiguration.USERNAME;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldDescriptor.Section;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpAuthentication;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.DraftValues;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SmtpLogin;

/**
 * SMTP with username and password ({@code smtp-password}), or without authentication when the
 * "SMTP authentication" switch is off. Field names are the constants of
 * {@link PasswordSmtpConfiguration}. Stateless.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PasswordSmtpProvider implements AuthenticationProvider {

    private static final List<FieldDescriptor> FIELDS = List.of(
            FieldDescriptor.builder(SENDER_ADDRESS, FieldKind.EMAIL, "Sender address", "Absenderadresse").required()
                    .section(Section.SENDER)
                    .description("The address notifications come from; the server must let the account send as it.",
                            "Die Adresse, von der Benachrichtigungen kommen; der Server muss dem Konto erlauben, "
                                    + "mit ihr zu senden.").build(),
            FieldDescriptor.builder(SENDER_NAME, FieldKind.TEXT, "Sender name", "Absendername").section(Section.SENDER)
                    .description("Shown to recipients beside the address, such as your product's name.",
                            "Wird Empf\u00e4ngern neben der Adresse gezeigt, etwa der Name Ihres Produkts.").build(),
            FieldDescriptor.builder(REPLY_TO_ADDRESS, FieldKind.EMAIL, "Reply-To address", "Antwortadresse")
                    .section(Section.SENDER)
                    .description("Where replies go, if not to the sender address.",
                            "Wohin Antworten gehen, wenn nicht an die Absenderadresse.").build(),
            FieldDescriptor.builder(REPLY_TO_NAME, FieldKind.TEXT, "Reply-To name", "Name der Antwortadresse")
                    .section(Section.SENDER)
                    .description("The name shown with the Reply-To address.", "Der Name zur Antwortadresse.").build(),
            FieldDescriptor.builder(ENVELOPE_FROM, FieldKind.EMAIL, "Bounce address (envelope sender)",
                    "Adresse f\u00fcr Unzustellbarkeitsmeldungen (Envelope-From)").section(Section.SENDER).advanced()
                    .description("Where mail that cannot be delivered is reported; empty means the sender address.",
                            "Wohin unzustellbare Mails gemeldet werden; leer hei\u00dft: an die Absenderadresse.")
                    .build(),
            FieldDescriptor.builder(HOST, FieldKind.HOST, "SMTP host", "SMTP-Server").required().section(Section.SERVER)
                    .description("Your mail provider's SMTP server, such as smtp.example.com.",
                            "Der SMTP-Server Ihres Mailanbieters, etwa smtp.example.com.").build(),
            FieldDescriptor.builder(PORT, FieldKind.PORT, "Port", "Port").required().defaultValue("587")
                    .section(Section.SERVER)
                    .description("Usually 587 with STARTTLS or 465 with SSL/TLS; your provider's guide names it.",
                            "Meist 587 mit STARTTLS oder 465 mit SSL/TLS; die Anleitung Ihres Anbieters nennt ihn.")
                    .build(),
            FieldDescriptor.builder(ENCRYPTION, FieldKind.CHOICE, "Encryption", "Verschl\u00fcsselung").required()
                    .defaultValue(Encryption.STARTTLS.name()).section(Section.SERVER)
                    .allowedValues(Arrays.stream(Encryption.values()).map(Enum::name).toList())
                    .valueLabel(Encryption.STARTTLS.name(), "STARTTLS (usually port 587)", "STARTTLS (meist Port 587)")
                    .valueLabel(Encryption.SSL_TLS.name(), "SSL/TLS (usually port 465)", "SSL/TLS (meist Port 465)")
                    .valueLabel(Encryption.NONE.name(), "None (a trusted relay only)",
                            "Keine (nur ein vertrauensw\u00fcrdiges Relay)")
                    .description("How the connection to the server is encrypted; with encryption the server's "
                                    + "certificate is checked.",
                            "Wie die Verbindung zum Server verschl\u00fcsselt wird; mit Verschl\u00fcsselung wird "
                                    + "das Zertifikat des Servers gepr\u00fcft.").build(),
            FieldDescriptor.builder(AUTHENTICATION, FieldKind.BOOLEAN, "SMTP authentication", "SMTP-Authentifizierung")
                    .required().defaultValue("true")
                    .description("Off only for a relay that takes mail without signing in.",
                            "Nur aus f\u00fcr ein Relay, das Mails ohne Anmeldung annimmt.").build(),
            FieldDescriptor.builder(USERNAME, FieldKind.TEXT, "Username", "Benutzername").required()
                    .shownWhen(AUTHENTICATION)
                    .description("The account the library signs in with, often the sender address.",
                            "Das Konto, mit dem sich die Bibliothek anmeldet, oft die Absenderadresse.").build(),
            // A stored password must never be replayed to another server, account or a weaker channel.
            FieldDescriptor.builder(PASSWORD, FieldKind.SECRET, "Password", "Passwort").required()
                    .shownWhen(AUTHENTICATION).reenterWhenChanged(HOST, PORT, USERNAME, ENCRYPTION)
                    .description("Never shown again once saved. Microsoft 365 ends password sign-in for SMTP: "
                                    + "choose Microsoft OAuth 2.0 there.",
                            "Nach dem Speichern nie wieder angezeigt. Microsoft 365 beendet die Anmeldung per "
                                    + "Passwort f\u00fcr SMTP: W\u00e4hlen Sie dort Microsoft OAuth 2.0.").build());

    /** Called by {@link java.util.ServiceLoader}; does no I/O. */
    public PasswordSmtpProvider() {
    }

    @Override
    public String type() {
        return PasswordSmtpConfiguration.TYPE;
    }

    @Override
    public String displayName(Locale locale) {
        return "de".equals(locale.getLanguage()) ? "Benutzername und Passwort (SMTP)" : "Username and password (SMTP)";
    }

    @Override
    public List<FieldDescriptor> fields() {
        return FIELDS;
    }

    @Override
    public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
        List<Violation> violations = new ArrayList<>();
        String senderAddress = draft.text(SENDER_ADDRESS).orElse(null);
        String host = draft.text(HOST).orElse(null);
        String username = draft.text(USERNAME).orElse(null);
        Locale locale = context.locale();
        // The descriptors' own rules (number, choice, switch), with their defaults; the form checks the rest.
        DraftValues values = DraftValues.of(draft, FIELDS, locale);
        Integer port = values.port(PORT);
        Encryption encryption = values.choice(ENCRYPTION, Encryption.class);
        Boolean authenticate = values.bool(AUTHENTICATION);
        Optional<Sender> replyTo = values.optionalSender(REPLY_TO_ADDRESS, REPLY_TO_NAME);
        Optional<EmailAddress> envelopeFrom = Optional.ofNullable(values.address(ENVELOPE_FROM));
        violations.addAll(values.violations());
        Secret password = draft.secret(PASSWORD);

        violations.addAll(context.validate(new PasswordSmtpForm(senderAddress, draft.value(SENDER_NAME).orElse(null),
                host, port == null ? null : port.longValue(), username), Texts::bundle));
        if (Boolean.TRUE.equals(authenticate)) {
            if (username == null) {
                violations.add(new Violation(USERNAME, "required", Texts.text("field.username.required", locale)));
            }
            if (password.isKeep()) {
                violations.add(new Violation(PASSWORD, "required", Texts.text("field.password.required", locale)));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidConfigurationException(violations);
        }
        // No violation: every required value is present.
        Sender sender = Sender.of(EmailAddress.of(Objects.requireNonNull(senderAddress)),
                draft.value(SENDER_NAME).orElse(null));
        SmtpServer server = SmtpServer.of(Objects.requireNonNull(host), Objects.requireNonNull(port),
                Objects.requireNonNull(encryption));
        SmtpAuthentication authentication = Boolean.TRUE.equals(authenticate)
                ? SmtpAuthentication.login(Objects.requireNonNull(username), password)
                : SmtpAuthentication.none();
        return new PasswordSmtpConfiguration(sender, server, authentication, replyTo, envelopeFrom);
    }

    @Override
    public ConfigurationDraft unbind(EmailConfiguration configuration) {
        PasswordSmtpConfiguration c = (PasswordSmtpConfiguration) configuration;
        ConfigurationDraft.Builder draft = ConfigurationDraft.builder(type())
                .set(SENDER_ADDRESS, c.sender().address().value())
                .set(SENDER_NAME, c.sender().displayName())
                .set(HOST, c.server().host())
                .set(PORT, Integer.toString(c.server().port()))
                .set(ENCRYPTION, c.server().encryption().name())
                .set(REPLY_TO_ADDRESS, c.replyTo().map(r -> r.address().value()).orElse(null))
                .set(REPLY_TO_NAME, c.replyTo().map(Sender::displayName).orElse(null))
                .set(ENVELOPE_FROM, c.envelopeFrom().map(EmailAddress::value).orElse(null));
        if (c.authentication() instanceof SmtpAuthentication.Login login) {
            draft.set(AUTHENTICATION, "true").set(USERNAME, login.username()).secret(PASSWORD, login.password());
        } else {
            draft.set(AUTHENTICATION, "false");
        }
        return draft.build();
    }

    @Override
    public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
        PasswordSmtpConfiguration c = (PasswordSmtpConfiguration) configuration;
        return context.smtp().connect(c.server(), login(c));
    }

    /** Every SMTP step the engine can check, from name resolution to the login. */
    @Override
    public DiagnosisReport diagnose(EmailConfiguration configuration, DeliveryContext context) {
        PasswordSmtpConfiguration c = (PasswordSmtpConfiguration) configuration;
        return context.smtp().diagnose(c.server(), login(c));
    }

    private static SmtpLogin login(PasswordSmtpConfiguration c) {
        return c.authentication() instanceof SmtpAuthentication.Login l
                ? new SmtpLogin.Password(l.username(), l.password())
                : SmtpLogin.none();
    }
}

package com.example.apikey;

import java.util.List;
import java.util.Map;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.CustomConfiguration;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.DraftValues;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SmtpLogin;

/** The README's "Writing a provider" example: a fixed username and an API key as the password. */
public final class ApiKeyProvider implements AuthenticationProvider {

    static final List<FieldDescriptor> FIELDS = List.of(
            FieldDescriptor.builder("senderAddress", FieldKind.EMAIL, "Sender address").label("de", "Absenderadresse")
                    .required().build(),
            FieldDescriptor.builder("host", FieldKind.HOST, "SMTP host").label("de", "SMTP-Server")
                    .defaultValue("smtp.sendgrid.net").required().build(),
            FieldDescriptor.builder("port", FieldKind.PORT, "Port").label("de", "Port").defaultValue("587").required()
                    .build(),
            FieldDescriptor.builder("encryption", FieldKind.CHOICE, "Encryption").label("de", "Verschl\u00fcsselung")
                    .allowedValues(List.of("STARTTLS", "SSL_TLS", "NONE")).defaultValue("STARTTLS").required().build(),
            FieldDescriptor.builder("apiKey", FieldKind.SECRET, "API key").label("de", "API-Schl\u00fcssel").required()
                    .reenterWhenChanged("host", "port", "encryption").build());

    /** Found by the ServiceLoader. */
    public ApiKeyProvider() {
    }

    @Override
    public String type() {
        return "smtp-apikey";
    }

    @Override
    public List<FieldDescriptor> fields() {
        return FIELDS;
    }

    @Override
    public String displayName(java.util.Locale locale) {
        return "de".equals(locale.getLanguage()) ? "API-Schl\u00fcssel (SMTP)" : "API key (SMTP)";
    }

    @Override
    public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
        DraftValues v = DraftValues.of(draft, FIELDS, context.locale());
        EmailAddress sender = v.address("senderAddress");
        String host = v.host("host");
        Integer port = v.port("port");
        Encryption encryption = v.choice("encryption", Encryption.class);
        Secret key = v.secret("apiKey");
        v.throwIfInvalid();
        return new CustomConfiguration(type(), Sender.of(sender, null),
                Map.of("host", host, "port", port.toString(), "encryption", encryption.name()), Map.of("apiKey", key));
    }

    @Override
    public ConfigurationDraft unbind(EmailConfiguration configuration) {
        CustomConfiguration c = (CustomConfiguration) configuration;
        return ConfigurationDraft.builder(type()).set("senderAddress", c.sender().address().value())
                .set("host", c.settings().get("host")).set("port", c.settings().get("port"))
                .set("encryption", c.settings().get("encryption"))
                .secret("apiKey", c.secrets().get("apiKey")).build();
    }

    @Override
    public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
        CustomConfiguration c = (CustomConfiguration) configuration;
        return context.smtp().connect(SmtpServer.of(c.settings().get("host"), Integer.parseInt(c.settings().get("port")),
                Encryption.valueOf(c.settings().get("encryption"))),
                new SmtpLogin.Password("apikey", c.secrets().get("apiKey")));
    }
}

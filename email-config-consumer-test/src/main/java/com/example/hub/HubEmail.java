package com.example.hub;

import java.nio.file.Path;
import java.util.Locale;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.Secret;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.smtp.basic.PasswordSmtpProvider;

/** The README's quick start, compiled as a named module against the BOM's versions. */
public final class HubEmail {

    private HubEmail() {
    }

    /**
     * Builds the service the way the README does, naming the password provider.
     *
     * @param directory where the file store keeps the configuration
     * @return the service
     */
    public static EmailConfigurationService start(Path directory) {
        return EmailConfig.builder()
                .fileStore(directory)
                .applicationName("Hub")
                .provider(new PasswordSmtpProvider())
                .discoverProviders(false)
                .auditListener(event -> System.out.println("audit: " + event.outcome()))
                .build();
    }

    /**
     * Saves what an admin submitted, as the README shows.
     *
     * @param email    the service
     * @param userId   the admin's id
     * @param address  the admin's address
     * @param host     the SMTP host
     * @param port     the SMTP port
     * @param password what the admin typed
     * @return the result; the test email's failure is carried, not thrown, under SAVE_ANYWAY
     */
    public static SaveResult save(EmailConfigurationService email, String userId, String address, String host,
                                  int port, String password) {
        Actor actor = new Actor(userId, EmailAddress.of(address), true, Locale.GERMANY);
        ConfigurationView view = email.read(actor);
        try {
            return email.save(actor, ConfigurationDraft.builder("smtp-password")
                    .set("senderAddress", "noreply@example.com").set("senderName", "Hub")
                    .set("host", host).set("port", Integer.toString(port)).set("encryption", "NONE")
                    .set("authentication", "true").set("username", "noreply@example.com")
                    .secret("password", Secret.fromForm(password))
                    .build(), SaveOptions.defaults().withExpectedRevision(view.revision())
                    .withTestPolicy(TestPolicy.SAVE_ANYWAY));
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException(e.violations().toString(), e);
        } catch (DeliveryFailedException e) {
            throw new IllegalStateException(e.hint(actor.locale()), e);
        }
    }

    /**
     * Sends a notification with the configuration in force.
     *
     * @param email the service
     * @param to    the recipient
     */
    public static void notify(EmailConfigurationService email, String to) {
        email.notifications().send(Notification.of(EmailAddress.of(to), "Reset your password",
                "Open https://hub.example.com/reset/... to choose a new one."));
    }
}

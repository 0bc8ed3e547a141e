package org.emailconfig.core.testing;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.SandboxMailServer;

/** Drafts for servers on loopback that are not the sandbox's GreenMail (scripted servers, tarpits). */
public final class Drafts {

    private Drafts() {
    }

    /** Username and password for noreply@sandbox.test on 127.0.0.1:port with the given encryption. */
    public static ConfigurationDraft password(int port, String encryption, String password) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption)
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply@sandbox.test")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of(password)).build();
    }
}

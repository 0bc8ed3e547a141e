package org.emailconfig.smtp.basic;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.providerkit.ProviderContract;
import org.emailconfig.testkit.ScriptedSmtpServer;

/** The built-in username-and-password provider keeps the contract. */
class PasswordSmtpProviderContractTest extends ProviderContract {

    @Override
    protected AuthenticationProvider provider() {
        return new PasswordSmtpProvider();
    }

    @Override
    protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@contract.test")
                .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("contract-Passw0rd"))
                .build();
    }
}

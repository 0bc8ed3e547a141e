package com.example.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ServiceLoader;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.providerkit.ProviderContract;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * A third-party provider that is a JPMS module with only requires and provides (com.example.apikey, nothing
 * exported or opened) keeps the contract, found the way the engine finds it.
 */
class ApiKeyProviderContractTest extends ProviderContract {

    @Override
    protected AuthenticationProvider provider() {
        return ServiceLoader.load(AuthenticationProvider.class).stream()
                .filter(p -> p.type().getName().equals("com.example.apikey.ApiKeyProvider"))
                .findFirst().orElseThrow().get();
    }

    @Override
    protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
        return ConfigurationDraft.builder("smtp-apikey").set("senderAddress", "noreply@example.com")
                .set("host", "127.0.0.1").set("port", Integer.toString(server.port())).set("encryption", "NONE")
                .secret("apiKey", Secret.of("SG.test-key")).build();
    }

    @Test
    void theProviderIsAModuleThatExportsAndOpensNothing() {
        Module m = provider().getClass().getModule();
        assertEquals("com.example.apikey", m.getName());
        assertEquals(java.util.Set.of(), m.getDescriptor().exports());
        assertEquals(java.util.Set.of(), m.getDescriptor().opens());
    }
}

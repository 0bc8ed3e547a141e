package com.example.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.emailconfig.api.Actor;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveResult;
import org.junit.jupiter.api.Test;

/** The README's host code works as a named module with the versions the BOM gives. */
class HubEmailTest {

    @Test
    void aModularHostNamesTheProviderSavesAndReadsBack() throws Exception {
        assertTrue(HubEmail.class.getModule().isNamed(), "the host runs as a named module");
        Path dir = Files.createTempDirectory("hub-email");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (EmailConfigurationService email = HubEmail.start(dir)) {
            assertEquals("smtp-password", email.authenticationTypes(Locale.ENGLISH).get(0).type());
            SaveResult saved = HubEmail.save(email, "admin-1", "admin@example.com", "127.0.0.1", closedPort, "pw");
            assertEquals(1, saved.revision());
            assertEquals(Reason.CONNECTION_REFUSED, saved.testFailureIfAny().orElseThrow().reason());
            assertTrue(email.read(Actor.admin("admin-1", "admin@example.com")).configured());
        }
    }
}

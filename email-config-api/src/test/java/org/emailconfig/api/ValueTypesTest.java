package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@b.example", "first.last+tag@sub.example.com", "admin@localhost"})
    void acceptsOrdinaryAddresses(String address) {
        assertEquals(address, EmailAddress.of(address).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "no-at-sign", "a@", "@b.example", "a@@b.example", "a b@c.example",
            "a@b.example\r\nBcc: x@y.example", "a@b.example\n", "<a@b.example>", "a@-b.example", "a@b..example"})
    void rejectsMalformedAndInjectedAddresses(String address) {
        assertTrue(EmailAddress.problem(address).isPresent(), address);
        assertThrows(IllegalArgumentException.class, () -> EmailAddress.of(address));
    }

    @Test
    void displayNameRejectsLineBreaksAndNormalisesBlank() {
        EmailAddress a = EmailAddress.of("a@b.example");
        assertThrows(IllegalArgumentException.class, () -> Sender.of(a, "Hub\r\nBcc: x@y.example"));
        assertThrows(IllegalArgumentException.class, () -> Sender.of(a, "Hub\u0000"));
        assertEquals(null, Sender.of(a, "  ").displayName());
        assertEquals("Hub Ünicode", Sender.of(a, "Hub Ünicode").displayName());
    }

    @Test
    void serverChecksHostAndPort() {
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("", 587, Encryption.STARTTLS));
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("smtp://x.example", 587, Encryption.STARTTLS));
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("x.example", 0, Encryption.STARTTLS));
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("x.example", 65536, Encryption.STARTTLS));
        assertEquals(465, SmtpServer.of("::1", 465, Encryption.SSL_TLS).port());
    }

    @Test
    void secretsAreMaskedEverywhereTheyAreHeld() {
        Secret s = Secret.of("hunter2");
        SmtpAuthentication login = SmtpAuthentication.login("user", s);
        assertFalse(s.toString().contains("hunter2"));
        assertFalse(login.toString().contains("hunter2"));
        assertFalse(ConfigurationDraft.builder("smtp-password").secret("password", s).build().toString().contains("hunter2"));
        assertEquals("hunter2", s.reveal());
        assertTrue(Secret.fromForm("").isKeep());
        assertThrows(IllegalStateException.class, () -> Secret.keep().reveal());
    }

    @Test
    void authenticationOffCannotCarryCredentialsAndLoginCannotHoldTheKeepMarker() {
        assertTrue(SmtpAuthentication.none() instanceof SmtpAuthentication.None);
        assertThrows(IllegalArgumentException.class, () -> SmtpAuthentication.login("user", Secret.keep()));
        assertThrows(IllegalArgumentException.class, () -> SmtpAuthentication.login(" ", Secret.of("x")));
    }

    @Test
    void customConfigurationsCannotClaimBuiltInTypes() {
        Sender sender = Sender.of(EmailAddress.of("a@b.example"));
        assertThrows(IllegalArgumentException.class, () -> new CustomConfiguration("smtp-password", sender,
                java.util.Map.of(), java.util.Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new CustomConfiguration("Bad Id", sender,
                java.util.Map.of(), java.util.Map.of()));
    }
}

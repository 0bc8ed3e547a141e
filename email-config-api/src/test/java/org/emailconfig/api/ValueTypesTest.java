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

    @Test
    void aHostsExhaustiveSwitchNeedsOneArmForEveryThirdPartyTypeWhetherRecordOrStringMaps() {
        Sender sender = Sender.of(EmailAddress.of("a@b.example"));
        EmailConfiguration maps = new CustomConfiguration("webhook", sender, java.util.Map.of(), java.util.Map.of());
        EmailConfiguration record = new ProviderConfiguration() {
            @Override
            public String type() {
                return "pigeon";
            }

            @Override
            public Sender sender() {
                return sender;
            }
        };
        assertEquals("third party webhook", kind(maps));
        assertEquals("third party pigeon", kind(record));
    }

    /**
     * As a host on Java 21 writes it with a pattern {@code switch} of three arms (this build targets Java 17):
     * the permitted subtypes are exactly these three.
     */
    private static String kind(EmailConfiguration c) {
        assertEquals(java.util.Set.of(PasswordSmtpConfiguration.class, MicrosoftOAuthConfiguration.class,
                ProviderConfiguration.class), java.util.Set.of(EmailConfiguration.class.getPermittedSubclasses()));
        if (c instanceof PasswordSmtpConfiguration) {
            return "password";
        }
        if (c instanceof MicrosoftOAuthConfiguration) {
            return "microsoft";
        }
        return c instanceof ProviderConfiguration p ? "third party " + p.type() : "unknown";
    }

    @Test
    void aTypeIsOneWordWithOneRuleAndTheOldNamesStillAnswer() {
        assertTrue(AuthenticationType.isValid("smtp-apikey"));
        assertFalse(AuthenticationType.isValid("Bad Id"));
        assertFalse(AuthenticationType.isValid(null));
        assertTrue(AuthenticationType.isBuiltIn(PasswordSmtpConfiguration.TYPE));
        assertFalse(AuthenticationType.isBuiltIn("smtp-apikey"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthenticationType.requireValid("Bad Id"));
        assertTrue(e.getMessage().contains("authentication type 'Bad Id'"), e.getMessage());
        AuthenticationType form = new AuthenticationType("smtp-apikey", "API key", java.util.List.of());
        assertEquals("smtp-apikey", form.type());
        assertOldNamesAnswer(form);
    }

    @SuppressWarnings("removal")
    private static void assertOldNamesAnswer(AuthenticationType form) {
        assertEquals(form.type(), form.id());
        assertEquals(AuthenticationType.BUILT_IN, ProviderIds.RESERVED);
        assertTrue(ProviderIds.isValid("smtp-apikey"));
        assertTrue(ProviderIds.isReserved(MicrosoftOAuthConfiguration.TYPE));
        assertThrows(IllegalArgumentException.class, () -> ProviderIds.requireValid("Bad Id"));
    }

    @Test
    void whatTheAdminTypedIsTheSecretAndOnlyABlankFieldKeepsTheStoredOne() {
        assertEquals("typed pass word ", Secret.fromForm("typed pass word ").reveal(), "kept as typed, spaces too");
        assertEquals(Secret.of("s3cret"), Secret.fromForm("s3cret"));
        assertFalse(Secret.fromForm("s3cret").isKeep());
        assertTrue(Secret.fromForm(null).isKeep());
        assertTrue(Secret.fromForm(" \t ").isKeep());
        assertTrue(Secret.keep().isKeep());
        assertFalse(Secret.of("x").isKeep());
        assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    }

    @Test
    void secretsCompareByValueAndHashAlike() {
        assertEquals(Secret.of("abc"), Secret.of("abc"));
        assertFalse(Secret.of("abc").equals(Secret.of("abd")));
        assertFalse(Secret.of("abc").equals(Secret.keep()));
        assertFalse(Secret.keep().equals(Secret.of("abc")));
        assertEquals(Secret.keep(), Secret.fromForm(""));
        assertFalse(Secret.of("abc").equals("abc"), "a secret never equals its text");
        assertEquals(Secret.of("abc").hashCode(), Secret.of("xyz").hashCode(), "the hash says nothing about the value");
        assertFalse(Secret.of("abc").hashCode() == Secret.keep().hashCode());
        assertEquals("(keep stored)", Secret.keep().toString());
        assertEquals("******", Secret.of("abc").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Reset\r\nBcc: attacker@evil.example", "Reset\nBcc: attacker@evil.example", "Reset\r",
            "Reset\u0000", "Reset\u0085next"})
    void aNotificationSubjectWithALineBreakOrControlCharacterIsRefused(String subject) {
        EmailAddress to = EmailAddress.of("user@b.example");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Notification.of(to, subject, "x"));
        assertTrue(e.getMessage().contains("subject"), e.getMessage());
    }

    @Test
    void aNotificationSubjectMayBeNineHundredCharactersAndNeedsARecipient() {
        EmailAddress to = EmailAddress.of("user@b.example");
        assertEquals(900, Notification.of(to, "s".repeat(900), "x").subject().length());
        assertThrows(IllegalArgumentException.class, () -> Notification.of(to, "s".repeat(901), "x"));
        assertThrows(IllegalArgumentException.class, () -> new Notification(java.util.List.of(), "s", "x", null));
        assertEquals("<p>x</p>", Notification.of(to, "s", "x").withHtml("<p>x</p>").htmlIfAny().orElseThrow());
        assertTrue(Notification.of(to, "s", "x").htmlIfAny().isEmpty());
    }
}

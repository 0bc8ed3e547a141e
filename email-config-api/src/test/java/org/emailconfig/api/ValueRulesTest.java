package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact edges of the value types' rules (lengths, characters, address forms), each on both sides: what a
 * mail server or RFC accepts must pass, one step beyond must be refused with a message that says why.
 */
class ValueRulesTest {

    private static String label(int length) {
        return "a".repeat(length);
    }

    @Test
    void anAddressMayBe254CharactersWithA64CharacterLocalPartAndNoMore() {
        String domain = label(63) + "." + label(63) + "." + label(63) + "." + label(56) + ".example";
        String longest = label(64) + "@" + domain.substring(0, 254 - 65);
        assertEquals(254, longest.length());
        assertTrue(EmailAddress.problem(longest).isEmpty(), () -> EmailAddress.problem(longest).orElseThrow());
        assertTrue(EmailAddress.problem(longest + "a").orElseThrow().contains("254"));
        assertTrue(EmailAddress.problem(label(64) + "@b.example").isEmpty());
        assertTrue(EmailAddress.problem(label(65) + "@b.example").orElseThrow().contains("64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a<b@c.example", "a>b@c.example", "a(b@c.example", "a)b@c.example", "a[b@c.example",
            "a]b@c.example", "a\\b@c.example", "a,b@c.example", "a;b@c.example", "a:b@c.example", "a\"b@c.example",
            "a b@c.example", "\u00e4@c.example", "a\u007f@c.example", ".a@c.example", "a.@c.example", "a..b@c.example",
            "a@c", "a@c_d.example", "a@b@c.example", "a@", "@c.example", "a@c.example\u2028"})
    void anAddressWithACharacterOrFormSmtpCannotCarryIsRefused(String address) {
        assertTrue(EmailAddress.problem(address).isPresent(), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a~b!c#d$e%f&g'h*i+j/k=l?m^n_o`p{q|r}s-t@c.example", "a.b@c.example", "a@LOCALHOST",
            "1@2.example", "a@sub-domain.c.example"})
    void anAddressWithEverythingSmtpAllowsUnquotedIsAccepted(String address) {
        assertTrue(EmailAddress.problem(address).isEmpty(), () -> address + ": " + EmailAddress.problem(address));
        assertEquals(address, EmailAddress.of(address).toString());
    }

    @Test
    void eachAddressProblemHasItsOwnWordsInEnglishAndGerman() {
        assertTrue(EmailAddress.problem(null).isPresent());
        assertTrue(EmailAddress.problem(" ").isPresent());
        assertFalse(EmailAddress.problem("a@c").equals(EmailAddress.problem("a..b@c.example")));
        assertFalse(EmailAddress.problem("a@b.example\n").equals(EmailAddress.problem("a b@c.example")));
        assertFalse(EmailAddress.problem("\u00e4@c.example").equals(EmailAddress.problem("a;b@c.example")));
        assertFalse(EmailAddress.problem("no-at", Locale.GERMAN).orElseThrow()
                .equals(EmailAddress.problem("no-at", Locale.ENGLISH).orElseThrow()));
    }

    @Test
    void aHostNameMayHave63CharacterLabelsAnd253CharactersAndNoMore() {
        assertTrue(SmtpServer.hostProblem(label(63) + ".example").isEmpty());
        assertTrue(SmtpServer.hostProblem(label(64) + ".example").isPresent());
        String longest = label(63) + "." + label(63) + "." + label(63) + "." + label(61);
        assertEquals(253, longest.length());
        assertTrue(SmtpServer.hostProblem(longest).isEmpty());
        assertTrue(SmtpServer.hostProblem(longest + "a").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp.example.com", "SMTP.Example.COM", "a", "smtp-1.example", "1-2.3", "127.0.0.1",
            "::1", "::", "2001:db8::1", "2001:0db8:0000:0000:0000:ff00:0042:8329", "fe80::1:2:3:4:5:6", "::ffff:192.0.2.1",
            "2001:db8:1:2:3:4:192.0.2.1", "ABCD:ef01::9"})
    void hostNamesAndAddressesAreAccepted(String host) {
        assertTrue(SmtpServer.hostProblem(host).isEmpty(), host);
        assertEquals(host, SmtpServer.of(host, 25, Encryption.NONE).host());
    }

    @ParameterizedTest
    @ValueSource(strings = {".example", "example.", "a..b", "-a.example", "a-.example", "a_b.example", "a b",
            "smtp.example.com:25", "127.0.0.1:25", ":::1", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "12345::1", "g::1", "::1.2.3", "::1.2.3.256", "::1.2.3.4.5",
            "::1.2..4", "::1.2.3.1234", "1:2:3:4:5:6:7:1.2.3.4", "[::1]", "smtp.example.com\n"})
    void malformedHostsAreRefused(String host) {
        assertTrue(SmtpServer.hostProblem(host).isPresent(), host);
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of(host, 25, Encryption.NONE));
    }

    @Test
    void anIpv6LiteralIsAtMost45Characters() {
        String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255";
        assertEquals(45, longest.length());
        assertTrue(SmtpServer.hostProblem(longest).isEmpty());
        assertTrue(SmtpServer.hostProblem("0" + longest).isPresent());
    }

    @Test
    void portsRunFromOneTo65535() {
        assertTrue(SmtpServer.portProblem(1).isEmpty());
        assertTrue(SmtpServer.portProblem(65535).isEmpty());
        assertTrue(SmtpServer.portProblem(0).isPresent());
        assertTrue(SmtpServer.portProblem(65536).isPresent());
        assertTrue(SmtpServer.portProblem(-1, Locale.GERMAN).isPresent());
        assertFalse(SmtpServer.portProblem(0, Locale.GERMAN).equals(SmtpServer.portProblem(0, Locale.ENGLISH)));
    }

    @Test
    void everyLineSeparatorAndControlCharacterCountsAsOne() {
        for (char c : new char[] {'\r', '\n', '\t', '\u0000', '\u007f', '\u0085', '\u2028', '\u2029', '\u001b'}) {
            assertTrue(CharacterRules.hasControlCharacter("a" + c + "b"), Integer.toHexString(c));
        }
        assertFalse(CharacterRules.hasControlCharacter("plain text, \u00fcml\u00e4ute and \u20ac"));
        assertFalse(CharacterRules.hasControlCharacter(""));
    }

    @Test
    void aDisplayNameMayBe200CharactersWithoutLineBreaks() {
        EmailAddress a = EmailAddress.of("a@b.example");
        assertEquals(200, Sender.of(a, "n".repeat(200)).displayName().length());
        assertThrows(IllegalArgumentException.class, () -> Sender.of(a, "n".repeat(201)));
        assertTrue(Sender.headerTextProblem("n".repeat(201)).orElseThrow().contains("200"));
        assertTrue(Sender.headerTextProblem(null).isEmpty());
        assertTrue(Sender.displayNameProblem("a\nb").orElseThrow().startsWith("a display name "));
        assertEquals("Hub", Sender.of(a, "Hub").displayNameIfAny().orElseThrow());
        assertTrue(Sender.of(a).displayNameIfAny().isEmpty());
    }
}

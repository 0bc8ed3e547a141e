package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every text of every module exists in English and German with the same placeholders, and every key the
 * code asks for is in its module's bundle. Reads the source tree, so a bundle in any module is checked
 * without opening its package.
 */
class TranslationsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * {@code text("key", ...)} in any of the modules' text helpers, and {@code message = "{key}"} on a form; a
     * key built at run time ({@code "diag." + id}) is checked by its own test.
     */
    private static final Pattern USED = Pattern.compile(
            "(?:\\btext\\(|message = )\"\\{?([a-zA-Z][a-zA-Z0-9_.]*)}?\"\\s*[,)]");

    private static ResourceBundle load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new PropertyResourceBundle(in) {
                @Override
                public Locale getLocale() {
                    return file.getFileName().toString().contains("_de.") ? Locale.GERMAN : Locale.ROOT;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path bundle(String module, String base, boolean german) {
        return ROOT.resolve(module).resolve("src/main/resources").resolve(base + (german ? "_de" : "") + ".properties");
    }

    private static Set<String> keysUsedIn(String module) throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = USED.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        return used;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "email-config-api:org/emailconfig/api/Texts",
            "email-config-api:org/emailconfig/api/Hints",
            "email-config-core:org/emailconfig/core/internal/text/Texts",
            "email-config-msoauth:org/emailconfig/msoauth/Texts",
            "email-config-smtp-basic:org/emailconfig/smtp/basic/Texts"})
    void everyKeyHasAnEnglishAndAGermanTextWithTheSamePlaceholders(String bundle) throws IOException {
        String module = bundle.substring(0, bundle.indexOf(':'));
        String base = bundle.substring(bundle.indexOf(':') + 1);
        ResourceBundle en = load(bundle(module, base, false));
        ResourceBundle de = load(bundle(module, base, true));
        assertEquals(List.of(), org.emailconfig.providerkit.Translations.missing(l -> l.getLanguage().equals("de") ? de : en));
        assertFalse(en.keySet().isEmpty());

        if (base.endsWith("/Texts")) {
            assertFalse(keysUsedIn(module).isEmpty(), "the scan finds the keys " + module + " uses");
            List<String> missing = new ArrayList<>();
            for (String key : keysUsedIn(module)) {
                if (!en.containsKey(key)) {
                    missing.add(key);
                }
            }
            assertEquals(List.of(), missing, "keys the code of " + module + " asks for but " + base + " lacks");
        }
    }

    @org.junit.jupiter.api.Test
    void fieldErrorsAreWordedInTheActorsLanguageWhoeverWroteTheRule() {
        ConfigurationDraft smtp = ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.HOST, "smtp example.com")
                .set(PasswordSmtpConfiguration.PORT, "70000")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build();
        ConfigurationDraft microsoft = ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                .set(MicrosoftOAuthConfiguration.SENDER_ADDRESS, "noreply@contoso.com")
                .set(MicrosoftOAuthConfiguration.TENANT_ID, "contoso..onmicrosoft.com")
                .set(MicrosoftOAuthConfiguration.CLIENT_ID, "00001111-aaaa-2222-bbbb-3333cccc4444").build();
        Actor english = Actor.admin("admin-1", "admin@sandbox.test");
        Actor german = english.withLocale(Locale.GERMANY);
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            // The provider's own bundle ({key} on @NotBlank and @Min), the library's constraint (@HostName).
            assertEquals(Map.of(
                    "senderAddress", "Geben Sie die Absenderadresse ein, zum Beispiel noreply@example.com",
                    "host", "Ein Host ist ein Name wie smtp.example.com oder eine IP-Adresse, ohne Leerzeichen, "
                            + "Schema oder Port",
                    "port", "Ein Port ist eine Zahl von 1 bis 65535 (meist 587 f\u00fcr STARTTLS, 465 f\u00fcr SSL/TLS)"),
                    messages(s, german, smtp));
            assertEquals("a host is a name such as smtp.example.com or an IP address, without spaces, scheme or port",
                    messages(s, english, smtp).get("host"));
            // The provider's own violations and the api's tenant rule.
            assertEquals(Map.of(
                    "tenantId", "Die Verzeichnis-ID (Mandanten-ID) ist eine GUID wie 72f988bf-86f1-41af-91ab-2d7cd011db47 "
                            + "oder eine Domain wie contoso.onmicrosoft.com",
                    "clientSecret", "Geben Sie den Wert des geheimen Clientschl\u00fcssels ein (er wird nur beim Erstellen "
                            + "einmal angezeigt; nicht seine ID)"),
                    messages(s, german, microsoft));
        }
    }

    @org.junit.jupiter.api.Test
    void anExceptionThrownForAnActorSpeaksTheActorsLanguageInHint() {
        Actor german = Actor.admin("admin-1", "admin@sandbox.test").withLocale(Locale.GERMANY);
        try (org.emailconfig.testkit.ScriptedSmtpServer smtp = org.emailconfig.testkit.ScriptedSmtpServer.plain()
                .reply(org.emailconfig.testkit.ScriptedSmtpServer.Stage.AUTH, "535 5.7.8 Authentication failed").start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            org.emailconfig.api.DeliveryFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.emailconfig.api.DeliveryFailedException.class, () -> s.save(german,
                            org.emailconfig.core.testing.Drafts.password(smtp.port(), "NONE", "wrong-pw")));
            assertEquals("Der Server hat die Anmeldung abgelehnt: Pr\u00fcfen Sie Benutzername und Passwort.", e.hint());
            assertEquals("Authentication was rejected by the server: check username and password.", e.hint(Locale.ENGLISH));
            org.emailconfig.api.NotAllowedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    org.emailconfig.api.NotAllowedException.class,
                    () -> s.read(Actor.user("u-1", "u@sandbox.test").withLocale(Locale.GERMAN)));
            assertEquals(refused.hint(Locale.GERMAN), refused.hint());
        }
    }

    @org.junit.jupiter.api.Test
    void aHostAddsALanguageWithABundleBesideOursAndEveryTextItLacksReadsEnglish() {
        // This module's test resources carry Hints_fr and Texts_fr with one key each, as a host's jar would.
        Actor french = Actor.admin("admin-1", "admin@sandbox.test").withLocale(Locale.CANADA_FRENCH);
        try (org.emailconfig.testkit.ScriptedSmtpServer smtp = org.emailconfig.testkit.ScriptedSmtpServer.plain()
                .reply(org.emailconfig.testkit.ScriptedSmtpServer.Stage.AUTH, "535 5.7.8 Authentication failed").start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            org.emailconfig.api.DeliveryFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.emailconfig.api.DeliveryFailedException.class, () -> s.save(french,
                            org.emailconfig.core.testing.Drafts.password(smtp.port(), "NONE", "wrong-pw")));
            assertEquals("Le serveur a refus\u00e9 l'authentification : v\u00e9rifiez le nom d'utilisateur et le mot "
                    + "de passe.", e.hint());
            assertEquals("Der Server hat die Anmeldung abgelehnt: Pr\u00fcfen Sie Benutzername und Passwort.",
                    e.hint(Locale.GERMAN), "the languages the library ships stay as they were");
            assertEquals(org.emailconfig.api.Reason.NOT_ALLOWED.hint(Locale.ENGLISH),
                    org.emailconfig.api.Reason.NOT_ALLOWED.hint(Locale.FRENCH), "a key French lacks reads English");
            assertEquals(Map.of("type", "'pigeon' n'est pas un type d'authentification install\u00e9 ; choisissez "
                    + "parmi [smtp-password, microsoft-oauth2]"),
                    messages(s, french, ConfigurationDraft.builder("pigeon").build()));
        }
        Locale before = Locale.getDefault();
        try {
            // ResourceBundle's own fallback would give a Spanish reader the server's German: it reads English.
            Locale.setDefault(Locale.GERMANY);
            assertEquals(org.emailconfig.api.Reason.AUTH_REJECTED.hint(Locale.ENGLISH),
                    org.emailconfig.api.Reason.AUTH_REJECTED.hint(new Locale("es")));
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Map<String, String> messages(EmailConfigurationService s, Actor actor, ConfigurationDraft draft) {
        InvalidConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigurationException.class, () -> s.save(actor, draft));
        Map<String, String> byField = new java.util.TreeMap<>();
        e.violations().forEach(v -> byField.put(v.field(), v.message()));
        return byField;
    }

    @org.junit.jupiter.api.Test
    void theDiagnosisStepsTheEngineNamesAtRunTimeAllHaveTexts() {
        ResourceBundle en = load(bundle("email-config-core", "org/emailconfig/core/internal/text/Texts", false));
        for (String state : List.of("passed", "failed")) {
            for (String key : List.of("diag.connect.", "diag.auth.", "diag.step.")) {
                assertTrue(en.containsKey(key + state), key + state);
            }
            for (String tls : List.of("tls", "starttls")) {
                assertTrue(en.containsKey("diag." + tls + "." + state + ".certificate"), tls + state);
            }
        }
        assertTrue(en.containsKey("diag.tls.failed") && en.containsKey("diag.starttls.failed"));
    }

    @org.junit.jupiter.api.Test
    void aMissingGermanTextIsReportedAndSoIsAPlaceholderOnlyOneLanguageUses() {
        ResourceBundle en = new java.util.ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"a", "port {0}"}, {"b", "only English"}, {"c", "same"}};
            }
        };
        ResourceBundle de = new java.util.ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"a", "Port"}, {"c", "same"}};
            }

            @Override
            public Locale getLocale() {
                return Locale.GERMAN;
            }
        };
        assertEquals(List.of("a: placeholders [{0}] in English but [] in German", "b: no German text"),
                org.emailconfig.providerkit.Translations.missing(l -> l.getLanguage().equals("de") ? de : en));
    }

    @org.junit.jupiter.api.Test
    void theBuiltInTypesAreNamedInTheAdminsLanguage() {
        org.emailconfig.smtp.basic.PasswordSmtpProvider password = new org.emailconfig.smtp.basic.PasswordSmtpProvider();
        assertEquals("Username and password (SMTP)", password.displayName(Locale.ENGLISH));
        assertEquals("Benutzername und Passwort (SMTP)", password.displayName(Locale.GERMANY));
        assertEquals("Username and password (SMTP)", password.displayName(Locale.FRENCH), "English for the rest");
        // A product name, the same in both languages.
        assertEquals("Microsoft OAuth 2.0 (Microsoft 365)",
                new org.emailconfig.msoauth.MicrosoftOAuthProvider().displayName(Locale.GERMAN));
    }
}

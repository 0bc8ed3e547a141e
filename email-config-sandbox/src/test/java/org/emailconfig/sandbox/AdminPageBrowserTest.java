package org.emailconfig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reference admin page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs). Skips, saying why, where they are not installed. Each test leaves a
 * screenshot in {@code target/screenshots/}.
 */
@Timeout(120)
class AdminPageBrowserTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "browser-Passw0rd";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    private EmailConfigurationService service;
    private AdminApi api;
    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: no " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian packages chromium and chromium-driver; "
                        + ".ci/run installs them)");
        service = EmailConfig.builder().inMemoryStore().build();
        api = new AdminApi(service, mail, 0);
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1200,1600", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(api.url());
        settled();
    }

    /**
     * Waits until the page has shown the answer to everything it asked the API: a click or a choice starts
     * its requests before it returns, so after this no re-render is still coming.
     */
    private void settled() {
        wait.until(d -> "idle".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    }

    private void click(String id) {
        browser.findElement(By.id(id)).click();
        settled();
    }

    private void choose(String id, String value) {
        new Select(browser.findElement(By.id(id))).selectByValue(value);
        settled();
    }

    @AfterEach
    void close(TestInfo test) throws Exception {
        if (browser != null) {
            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.copy(shot.toPath(), dir.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
            browser.quit();
        }
        if (api != null) {
            api.close();
            service.close();
        }
    }

    /** A screenshot of one state of the page, for the README and the issue note: target/screenshots/state-NAME.png. */
    private void snapshot(String name) throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.copy(shot.toPath(), dir.resolve("state-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private void openFold(String section) {
        WebElement fold = browser.findElement(By.cssSelector("#section-" + section + " details.advanced"));
        fold.findElement(By.tagName("summary")).click();
        settled();
    }

    private boolean foldOpen(String section) {
        return browser.findElement(By.cssSelector("#section-" + section + " details.advanced")).getAttribute("open")
                != null;
    }

    private java.util.List<String> optionTexts(String field) {
        return new Select(field(field)).getOptions().stream().map(WebElement::getText).toList();
    }

    @Test
    void aSavedConfigurationIsReadFirstAndEditAndCancelPutBackWhatIsStored() throws Exception {
        assertTrue(byId("form").isDisplayed(), "with nothing saved the form is the page");
        assertFalse(byId("summary").isDisplayed());
        assertFalse(byId("cancel").isDisplayed(), "nothing to go back to");
        snapshot("1-first-setup");
        fillGood();
        click("save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "revision 1"));
        assertFalse(byId("form").isDisplayed());
        assertTrue(byId("summary").isDisplayed());
        assertEquals(SandboxMailServer.HOST, byId("sum-host").getText());
        assertEquals("None (a trusted relay only)", byId("sum-encryption").getText(), "the choice's label, not NONE");
        assertEquals("stored (never shown)", byId("sum-password").getText());
        assertFalse(byId("summary-SENDER").getText().contains(PASSWORD) || byId("summary").getText().contains(PASSWORD));
        assertTrue(byId("summary-SENDER").getText().contains(NOREPLY));
        assertTrue(byId("summary-AUTHENTICATION").getText().contains("Username and password (SMTP)"));
        assertEquals(mail.admin().email().value(), byId("sum-recipient").getText());
        snapshot("2-settings-in-force");

        click("edit");
        assertTrue(byId("form").isDisplayed());
        assertTrue(byId("cancel").isDisplayed());
        type("host", "other.example");
        choose("type", "microsoft-oauth2");
        snapshot("3-editing-another-type");
        click("cancel");
        assertTrue(byId("summary").isDisplayed());
        assertEquals(SandboxMailServer.HOST, byId("sum-host").getText());
        click("edit");
        assertEquals("smtp-password", new Select(byId("type")).getFirstSelectedOption().getAttribute("value"));
        assertEquals(SandboxMailServer.HOST, field("host").getAttribute("value"), "cancel put back what is stored");
        assertEquals(1, service.read(mail.admin()).revision(), "nothing saved by editing and cancelling");
    }

    @Test
    void theFormIsGroupedWithHelpAndChoiceLabelsAndMicrosoftsFieldsFollowTheDelivery() throws Exception {
        assertEquals(1, browser.findElements(By.cssSelector("#section-SENDER #row-senderAddress")).size());
        assertEquals(1, browser.findElements(By.cssSelector("#section-SERVER #row-host")).size());
        assertEquals(1, browser.findElements(By.cssSelector("#section-AUTHENTICATION #type")).size());
        assertEquals(1, browser.findElements(By.cssSelector("#section-AUTHENTICATION #row-password")).size());
        assertTrue(byId("recipient").getText().equals(mail.admin().email().value()), "the read-only test recipient");
        assertTrue(byId("help-host").getText().contains("smtp.example.com"), byId("help-host").getText());
        assertTrue(optionTexts("encryption").contains("STARTTLS (usually port 587)"), optionTexts("encryption").toString());

        choose("type", "microsoft-oauth2");
        assertTrue(byId("row-saveToSentItems").isDisplayed(), "Graph is the default delivery");
        assertFalse(byId("row-smtpHost").isDisplayed());
        assertFalse(foldOpen("SERVER"), "the endpoint fields are folded away");
        assertFalse(byId("row-graphEndpoint").isDisplayed());
        assertFalse(byId("row-clientSecret").findElement(By.tagName("label")).getText().contains("advanced"));
        openFold("SERVER");
        assertTrue(byId("row-graphEndpoint").isDisplayed());
        assertTrue(byId("row-loginEndpoint").isDisplayed());
        assertFalse(byId("row-smtpHost").isDisplayed(), "SMTP's host while Graph is chosen");
        snapshot("4-microsoft-graph-advanced");

        choose("f-delivery", "SMTP_XOAUTH2");
        assertFalse(byId("row-saveToSentItems").isDisplayed(), "Sent Items is Graph's");
        assertFalse(byId("row-graphEndpoint").isDisplayed());
        assertTrue(byId("row-smtpHost").isDisplayed());
        assertTrue(optionTexts("delivery").contains("SMTP with OAuth (permission SMTP.SendAsApp)"));
        snapshot("5-microsoft-smtp-advanced");

        choose("lang", "de");
        choose("type", "microsoft-oauth2");
        assertEquals("Server und Versand", byId("legend-SERVER").getText());
        assertTrue(optionTexts("delivery").contains("Microsoft Graph (Berechtigung Mail.Send)"),
                optionTexts("delivery").toString());
        assertTrue(byId("help-clientSecret").getText().contains("Zertifikate"), byId("help-clientSecret").getText());
        // An error in a folded field unfolds it, so the admin sees what to fix.
        choose("f-delivery", "SMTP_XOAUTH2");
        assertFalse(foldOpen("SERVER"));
        openFold("SERVER");
        type("smtpPort", "99999");
        openFold("SERVER");
        assertFalse(foldOpen("SERVER"));
        click("save");
        assertTrue(foldOpen("SERVER"));
        assertTrue(byId("error-smtpPort").isDisplayed());
        assertFalse(byId("error-smtpPort").getText().isEmpty());
        snapshot("6-german-error-in-advanced");
    }

    private WebElement field(String name) {
        return browser.findElement(By.id("f-" + name));
    }

    private void type(String name, String text) {
        WebElement f = field(name);
        f.clear();
        f.sendKeys(text);
    }

    private void fillGood() {
        type("senderAddress", NOREPLY);
        type("host", SandboxMailServer.HOST);
        type("port", Integer.toString(mail.smtpPort()));
        new Select(field("encryption")).selectByValue("NONE");
        type("username", NOREPLY);
        type("password", PASSWORD);
    }

    private String notice() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText();
    }

    @Test
    void switchingTheTypeRedrawsTheFields() {
        assertTrue(browser.findElements(By.id("f-tenantId")).isEmpty());
        choose("type", "microsoft-oauth2");
        assertTrue(field("tenantId").isDisplayed());
        assertTrue(browser.findElements(By.id("f-host")).isEmpty());
    }

    @Test
    void theAuthenticationSwitchShowsUsernameAndPasswordAndMakesThemRequired() {
        WebElement row = browser.findElement(By.id("row-username"));
        assertTrue(row.isDisplayed());
        assertTrue(row.findElement(By.tagName("label")).getAttribute("class").contains("required"));
        field("authentication").click();
        assertFalse(row.isDisplayed());
        assertFalse(browser.findElement(By.id("row-password")).isDisplayed());
        field("authentication").click();
        assertTrue(browser.findElement(By.id("row-password")).isDisplayed());
    }

    @Test
    void aBadPortAndABadSenderShowErrorsBesideTheirFields() {
        fillGood();
        type("port", "99999");
        // A single-line input drops line breaks itself; the API test covers CR/LF sent without a browser.
        type("senderAddress", "no reply@sandbox.test");
        click("save");
        wait.until(d -> !d.findElement(By.id("error-port")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("error-port")).getText().contains("65535"));
        assertFalse(browser.findElement(By.id("error-senderAddress")).getText().isEmpty());
        assertEquals(0, mail.receivedMessages().size());
    }

    @Test
    void aWrongPasswordShowsTheHintOffersSaveAnywayAndKeepsNothing() throws Exception {
        fillGood();
        type("password", "wrong");
        click("save");
        assertTrue(notice().toLowerCase(java.util.Locale.ROOT).contains("password"), notice());
        assertTrue(browser.findElement(By.id("save-anyway")).isDisplayed());
        assertFalse(service.read(mail.admin()).configured(), "the previous (empty) configuration stays");
        snapshot("7-test-email-failed");
    }

    @Test
    void aGoodSaveShowsTheTestEmailInTheInbox() {
        fillGood();
        WebElement host = field("host");
        click("save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "revision 1"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inbox"), "email configuration test"));
        click("edit");
        assertTrue(field("password").getAttribute("placeholder").contains("leave blank"));
        // Stored, so left blank it is kept: not required; nor is the switch, which always has a value.
        assertFalse(browser.findElement(By.cssSelector("#row-password label")).getAttribute("class").contains("required"));
        assertFalse(browser.findElement(By.cssSelector("#row-authentication label")).getAttribute("class")
                .contains("required"));
        assertTrue(browser.findElement(By.cssSelector("#row-host label")).getAttribute("class").contains("required"));
        // The same input, refilled from what was stored, not one drawn anew under the admin's cursor.
        assertEquals(SandboxMailServer.HOST, host.getAttribute("value"));
    }

    @Test
    void checkConnectionShowsEveryStepAndSendsNothing() throws Exception {
        fillGood();
        click("verify");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("steps"), "Logged in as " + NOREPLY));
        assertTrue(browser.findElement(By.id("steps")).getText().contains("passed"));
        assertTrue(browser.findElement(By.id("verdict")).getText().startsWith("The check passed"),
                browser.findElement(By.id("verdict")).getText());
        assertEquals(0, mail.receivedMessages().size(), "a check sends nothing");
        snapshot("8-check-passed");
    }

    @Test
    void nothingOfTheAdminsStaysOnScreenForAnotherUserTypeOrLanguage() {
        fillGood();
        click("save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inbox"), "email configuration test"));
        click("edit");
        click("verify");
        assertTrue(browser.findElement(By.id("report")).isDisplayed());
        choose("type", "microsoft-oauth2");
        assertFalse(browser.findElement(By.id("report")).isDisplayed(), "the report of another type's check");
        choose("type", "smtp-password");
        click("verify");
        choose("lang", "de");
        assertFalse(browser.findElement(By.id("report")).isDisplayed(), "the report in the other language");
        click("edit");
        click("verify");
        choose("user", "user");
        assertFalse(browser.findElement(By.id("report")).isDisplayed(), "the admin's report shown to a non-admin");
        assertEquals("", browser.findElement(By.id("steps")).getText());
        assertEquals("", browser.findElement(By.id("inbox")).getText(), "the admin's inbox shown to a non-admin");
    }

    @Test
    void aChangedHostAsksForThePasswordAgainBesideItsField() {
        fillGood();
        click("save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "revision 1"));
        click("edit");
        type("host", "localhost");
        click("save");
        wait.until(d -> !d.findElement(By.id("error-password")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("error-password")).getText().contains("again"),
                browser.findElement(By.id("error-password")).getText());
    }

    @Test
    void theHealthLineSaysFromRealDeliveriesWhetherEmailWorksInTheAdminsLanguage() {
        assertTrue(byId("health").getText().startsWith("Email does not work, since "), byId("health").getText());
        assertTrue(byId("concerns").getText().startsWith("No email configuration is in force on this node"),
                byId("concerns").getText());
        fillGood();
        click("save");
        wait.until(d -> byId("health").getText().startsWith("Email works, since "));
        assertFalse(byId("concerns").isDisplayed());
        service.notifications().send(Notification.of(EmailAddress.of("jane@sandbox.test"), "Reset", "Link"));
        choose("lang", "de");
        String line = byId("health").getText();
        assertTrue(line.startsWith("E-Mail funktioniert, seit ") && line.contains("Zuletzt angenommene Nachricht: "),
                line);
    }

    @Test
    void theStatusLineSaysWhichRevisionIsInForceAndTheCheckSpeaksGerman() {
        assertEquals("No email configuration is saved yet.", browser.findElement(By.id("status")).getText());
        fillGood();
        click("save");
        assertTrue(browser.findElement(By.id("status")).getText().startsWith("Revision 1 is in force, saved by "
                + "sandbox-admin on "), browser.findElement(By.id("status")).getText());
        choose("lang", "de");
        assertTrue(browser.findElement(By.id("status")).getText().startsWith("Revision 1 ist in Kraft"),
                browser.findElement(By.id("status")).getText());
        click("edit");
        type("password", PASSWORD);
        click("verify");
        String steps = browser.findElement(By.id("steps")).getText();
        assertTrue(steps.contains("bestanden") && !steps.contains("PASSED"), steps);
        assertTrue(browser.findElement(By.id("verdict")).getText().startsWith("Die Pr\u00fcfung ist bestanden"),
                browser.findElement(By.id("verdict")).getText());
    }

    @Test
    void theLabelsReadInGerman() {
        choose("lang", "de");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("row-host"), "SMTP-Server"));
        assertEquals("Speichern", browser.findElement(By.id("save")).getText());
    }

    /**
     * A page of another origin (another port of 127.0.0.1: same site, so even a SameSite=Strict cookie goes
     * along) tries every way a browser allows to write the configuration and to read it back: a form post, a
     * {@code no-cors} {@code text/plain} fetch, a JSON fetch (which needs a preflight), a read. Nothing is stored,
     * no test email goes out, and the page learns nothing.
     */
    @Test
    void aPageFromAnotherOriginCanNeitherStoreNorReadTheConfiguration() throws Exception {
        String apiOrigin = api.url().substring(0, api.url().length() - 1);
        String draft = "{\"type\":\"smtp-password\",\"saveAnyway\":true,\"values\":{\"senderAddress\":\"" + NOREPLY
                + "\",\"host\":\"127.0.0.1\",\"port\":\"" + mail.smtpPort() + "\",\"encryption\":\"NONE\","
                + "\"authentication\":\"true\",\"username\":\"" + NOREPLY + "\"},\"secrets\":{\"password\":\""
                + PASSWORD + "\"}}";
        // A text/plain form sends "name=value": the name carries the JSON up to a dummy field that eats the "=".
        String formName = draft.substring(0, draft.length() - 1) + ",\"x\":\"";
        String page = "<!DOCTYPE html><html><body>"
                + "<form id='f' method='POST' enctype='text/plain' target='sink' action='" + apiOrigin + "/api/config'>"
                + "<input type='hidden' name='" + formName.replace("'", "&#39;") + "' value='\"}'></form>"
                + "<iframe name='sink'></iframe><p id='out'></p><script>"
                + "const api = '" + apiOrigin + "'; const body = " + quoteJs(draft) + "; const out = [];"
                + "(async () => {"
                + "try { await fetch(api + '/api/config', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " headers: {'Content-Type': 'text/plain'}, body}); out.push('text:sent'); } catch (e) { out.push('text:error'); }"
                + "try { const r = await fetch(api + '/api/config', {method: 'POST', credentials: 'include',"
                + " headers: {'Content-Type': 'application/json', 'X-Sandbox-User': 'admin'}, body});"
                + " out.push('json:' + r.status); } catch (e) { out.push('json:blocked'); }"
                + "try { const r = await fetch(api + '/api/config', {credentials: 'include'});"
                + " out.push('read:' + (await r.text())); } catch (e) { out.push('read:blocked'); }"
                + "try { const r = await fetch(api + '/api/session', {mode: 'no-cors', credentials: 'include'});"
                + " out.push('session:' + r.type); } catch (e) { out.push('session:blocked'); }"
                + "document.getElementById('out').textContent = out.join(' ');"
                + "document.getElementById('f').submit(); })();"
                + "</script></body></html>";
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 5);
        evil.createContext("/", exchange -> {
            byte[] bytes = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        evil.start();
        try {
            int refusedBefore = api.refusedRequests();
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            String out = wait.until(d -> {
                String text = d.findElement(By.id("out")).getText();
                return text.isEmpty() ? null : text;
            });
            // All five reach the API and are refused there: the text/plain fetch, the JSON fetch's preflight, the
            // read, the session read and the form post (which the page sends last). The browser then stops the JSON
            // fetch (no preflight is granted) and hides the reads (no CORS header is ever sent).
            wait.until(d -> api.refusedRequests() >= refusedBefore + 5);
            assertTrue(out.contains("json:blocked"), out);
            assertTrue(out.contains("read:blocked"), out);
            assertFalse(out.contains(NOREPLY) || out.contains("csrfToken"), out);
        } finally {
            evil.stop(0);
        }
        assertFalse(service.read(mail.admin()).configured(), "a page of another origin stored a configuration");
        assertEquals(0, mail.receivedMessages().size(), "a page of another origin made the library send a test email");
    }

    private static String quoteJs(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void theOutboxShowsAFailedNotificationInTheAdminsLanguageAndResendsOrDiscardsIt(@TempDir Path dir)
            throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.plain().start()) {
            api.close();
            service.close();
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("outbox"));
            JdbcOutbox outbox = JdbcOutbox.builder(h2).createTableIfMissing(true).build();
            service = EmailConfig.builder().inMemoryStore().outbox(outbox).build();
            api = new AdminApi(service, mail, 0);
            service.save(mail.admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                    .set(PasswordSmtpConfiguration.SENDER_ADDRESS, NOREPLY)
                    .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(smtp.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());
            smtp.refuseRecipient("gone@sandbox.test", "550 5.1.1 User unknown");
            smtp.refuseRecipient("new@sandbox.test", "550 5.1.1 User unknown");
            long refusedOnce = outbox.enqueue(Notification.of(EmailAddress.of("new@sandbox.test"), "Welcome", "Hi"));
            long gone = outbox.enqueue(Notification.of(EmailAddress.of("gone@sandbox.test"), "Reset", "Link"));
            wait.until(d -> service.outbox(mail.admin()).orElseThrow().attention().size() == 2);

            browser.get(api.url());
            settled();
            choose("lang", "de");
            assertTrue(byId("outbox").isDisplayed());
            assertEquals("Postausgang", byId("outbox-title").getText());
            assertEquals("Nichts wartet.", byId("outbox-summary").getText());
            String row = byId("outbox-" + gone).getText();
            assertTrue(row.contains("Fehlgeschlagen") && row.contains("gone@sandbox.test") && row.contains("1 Versuch"),
                    row);
            assertTrue(row.contains(Reason.RECIPIENT_REJECTED.hint(java.util.Locale.GERMAN)), row);
            assertFalse(row.contains("Link"), "never the body");
            assertTrue(byId("health").getText().startsWith("E-Mail braucht Aufmerksamkeit"), byId("health").getText());
            assertTrue(byId("concerns").getText().contains("RECIPIENT_REJECTED"), byId("concerns").getText());
            snapshot("10-outbox-failed");

            // The mailbox exists now: the resent notification goes through.
            smtp.refuseRecipient("new@sandbox.test", "250 2.1.5 Recipient OK");
            click("resend-" + refusedOnce);
            wait.until(d -> browser.findElements(By.id("outbox-" + refusedOnce)).isEmpty());
            click("discard-" + gone);
            wait.until(d -> browser.findElements(By.id("outbox-" + gone)).isEmpty());
            wait.until(d -> smtp.acceptedAt().size() == 2);
            assertTrue(smtp.messages().stream().anyMatch(m -> m.contains("Subject: Welcome")), "resent and delivered");
            assertTrue(service.outbox(mail.admin()).orElseThrow().attention().isEmpty());
        }
    }

    @Test
    void aNonAdministratorIsRefused() throws Exception {
        choose("user", "user");
        assertTrue(notice().startsWith("Not allowed"), notice());
        assertFalse(browser.findElement(By.id("form")).isDisplayed());
        assertFalse(browser.findElement(By.id("summary")).isDisplayed());
        snapshot("9-not-an-administrator");
    }
}

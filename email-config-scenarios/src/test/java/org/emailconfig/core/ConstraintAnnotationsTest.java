package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.validation.ApplicationId;
import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.HttpsEndpoint;
import org.emailconfig.api.validation.LocalizedProblem;
import org.emailconfig.api.validation.MailAddress;
import org.emailconfig.api.validation.TenantId;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public constraint annotations as an integrator uses them on a form of their own, through Hibernate
 * Validator: each reports exactly its field with the value type's own words, lets null and blank pass (that
 * is {@code @NotBlank}'s job), and gives the words again in German.
 */
class ConstraintAnnotationsTest {

    record Form(@HostName String host, @MailAddress String address, @HeaderSafe String name,
                @TenantId String tenant, @ApplicationId String client, @HttpsEndpoint String login,
                @HttpsEndpoint(allowPath = true) String graph) {
    }

    private static final Form GOOD = new Form("smtp.example.com", "a@b.example", "Hub", "contoso.onmicrosoft.com",
            "00001111-aaaa-2222-bbbb-3333cccc4444", "https://login.example.com", "https://graph.example.com/v1");

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void start() {
        factory = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void stop() {
        factory.close();
    }

    private static Map<String, String> problems(Form form) {
        Set<ConstraintViolation<Form>> v = validator.validate(form);
        Map<String, String> byField = new TreeMap<>();
        v.forEach(c -> byField.put(c.getPropertyPath().toString(), c.getMessage()));
        return byField;
    }

    @Test
    void goodValuesNullAndBlankPass() {
        assertEquals(Map.of(), problems(GOOD));
        assertEquals(Map.of(), problems(new Form(null, null, null, null, null, null, null)));
        assertEquals(Map.of(), problems(new Form(" ", " ", " ", " ", " ", " ", " ")));
    }

    @Test
    void eachBadValueIsReportedOnItsOwnFieldInTheValueTypesWords() {
        Map<String, String> p = problems(new Form("smtp..example.com", "no-at-sign", "Hub\r\nBcc: x@y.example",
                "not a tenant", "123", "http://login.example.com", "https://graph.example.com/v1?x=1"));
        assertEquals(List.of("address", "client", "graph", "host", "login", "name", "tenant"), List.copyOf(p.keySet()));
        assertEquals(SmtpServer.hostProblem("smtp..example.com").orElseThrow(), p.get("host"));
        assertEquals(EmailAddress.problem("no-at-sign").orElseThrow(), p.get("address"));
        assertTrue(p.get("login").contains("https"), p.get("login"));
    }

    @Test
    void onlyTheGraphEndpointMayHaveAPath() {
        Map<String, String> p = problems(new Form(GOOD.host(), GOOD.address(), GOOD.name(), GOOD.tenant(), GOOD.client(),
                "https://login.example.com/v1", "https://graph.example.com/v1"));
        assertEquals(Set.of("login"), p.keySet());
    }

    @Test
    void aValueThatLooksLikeAMessageTemplateIsShownLiterallyNotInterpolated() {
        Map<String, String> p = problems(new Form("{jakarta.validation.constraints.NotNull.message}", GOOD.address(),
                GOOD.name(), GOOD.tenant(), GOOD.client(), GOOD.login(), GOOD.graph()));
        assertEquals(SmtpServer.hostProblem("{jakarta.validation.constraints.NotNull.message}").orElseThrow(), p.get("host"));
    }

    @Test
    void everyConstraintGivesItsWordsInGermanToo() {
        Map<LocalizedProblem, String> bad = Map.of(new HostName.Validator(), "smtp..example.com",
                new MailAddress.Validator(), "no-at-sign", new HeaderSafe.Validator(), "a\nb",
                new TenantId.Validator(), "not a tenant", new ApplicationId.Validator(), "123",
                new HttpsEndpoint.Validator(), "http://login.example.com");
        bad.forEach((check, value) -> {
            String en = check.problem(value, Locale.ENGLISH).orElseThrow();
            String de = check.problem(value, Locale.GERMAN).orElseThrow();
            assertFalse(en.equals(de), check.getClass().getName() + ": " + en);
        });
    }
}

package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.emailconfig.api.Violation;
import org.junit.jupiter.api.Test;

/**
 * What an integrator's form with the standard Jakarta constraints turns into: one violation per field, with
 * the code a UI can act on ({@code required}, {@code out_of_range}, {@code invalid}) whichever constraint said it.
 */
class BindingContextTest {

    record IntegratorForm(@NotNull String apiKey, @NotEmpty String region, @NotBlank String account,
                          @Min(1) @Max(10) int retries, @Pattern(regexp = "[a-z]+") String tag) {
    }

    private static Map<String, String> codes(List<Violation> violations) {
        Map<String, String> byField = new TreeMap<>();
        violations.forEach(v -> byField.put(v.field(), v.code()));
        return byField;
    }

    @Test
    void eachStandardConstraintMapsToTheCodeAUiActsOn() {
        HibernateBindingContext binding = new HibernateBindingContext();
        try {
            assertEquals(Map.of("account", "required", "apiKey", "required", "region", "required", "retries",
                    "out_of_range", "tag", "invalid"), codes(binding.validate(new IntegratorForm(null, "", " ", 0, "A1"))));
            assertEquals(Map.of("retries", "out_of_range"), codes(binding.validate(new IntegratorForm("k", "eu", "a", 11,
                    "ok"))));
            assertEquals(Map.of(), codes(binding.validate(new IntegratorForm("k", "eu", "a", 10, "ok"))));
        } finally {
            binding.close();
        }
    }

    @Test
    void theReadersLanguageWordsTheMessages() {
        HibernateBindingContext binding = new HibernateBindingContext();
        String english = binding.in(Locale.ENGLISH).validate(new IntegratorForm("k", "eu", "a", 0, "ok")).get(0).message();
        String german = binding.in(Locale.GERMAN).validate(new IntegratorForm("k", "eu", "a", 0, "ok")).get(0).message();
        assertFalse(english.equals(german), english + " / " + german);
        assertEquals(Locale.GERMAN, binding.in(Locale.GERMAN).locale());
        binding.close();
    }

    @Test
    void aFormInAModuleThatDoesNotOpenItsPackageNamesTheLineToAddAndIsFoundInsideAProvidersWrapper() {
        // The JDK's own modules refuse deep reflection as a provider module without 'opens' does.
        java.lang.reflect.InaccessibleObjectException refused = assertThrows(
                java.lang.reflect.InaccessibleObjectException.class,
                () -> java.time.Duration.class.getDeclaredField("seconds").setAccessible(true));
        RuntimeException fromValidator = new jakarta.validation.ValidationException("HV000039", refused);
        HibernateBindingContext.FormNotOpen notOpen = HibernateBindingContext.notOpen(java.time.Duration.ZERO,
                fromValidator).orElseThrow();
        assertEquals("Hibernate Validator cannot read the form java.time.Duration: module java.base does not open "
                + "package java.time to it. Add 'opens java.time to org.hibernate.validator;' to the module-info.java "
                + "of java.base, or read the draft with org.emailconfig.api.spi.DraftValues instead of validating a "
                + "form object", notOpen.getMessage());
        assertTrue(notOpen.getCause() == refused);
        assertTrue(HibernateBindingContext.notOpen(new IntegratorForm("k", "eu", "a", 1, "ok"), fromValidator)
                .orElseThrow().getMessage().contains("module the unnamed module does not open"));
        assertEquals(java.util.Optional.empty(), HibernateBindingContext.notOpen(java.time.Duration.ZERO,
                new jakarta.validation.ValidationException("HV000028")));

        IllegalStateException wrapped = new IllegalStateException("the provider's own words", notOpen);
        assertTrue(HibernateBindingContext.FormNotOpen.in(wrapped).orElseThrow() == notOpen);
        assertEquals(java.util.Optional.empty(), HibernateBindingContext.FormNotOpen.in(fromValidator));
    }
}

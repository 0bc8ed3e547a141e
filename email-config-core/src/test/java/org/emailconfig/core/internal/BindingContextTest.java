package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}

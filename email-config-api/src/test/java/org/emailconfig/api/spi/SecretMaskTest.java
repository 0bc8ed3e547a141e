package org.emailconfig.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.emailconfig.api.Secret;
import org.junit.jupiter.api.Test;

/** A provider's client library may quote a secret in any form it sent it; the mask finds each. */
class SecretMaskTest {

    static final String KEY = "key+with/odd=chars~42";
    final SecretMask mask = SecretMask.of(List.of(Secret.of(KEY), Secret.of("abc"), Secret.keep()));

    @Test
    void everyFormASecretTravelsInIsMasked() {
        byte[] bytes = KEY.getBytes(StandardCharsets.UTF_8);
        for (String form : List.of(KEY, URLEncoder.encode(KEY, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(bytes), Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
            assertEquals("sent: ******.", mask.mask("sent: " + form + "."), form);
            assertTrue(mask.isIn(form));
        }
        assertEquals("abc stays: too short to mask without masking words", mask.mask(
                "abc stays: too short to mask without masking words"));
        assertFalse(mask.toString().contains(KEY));
    }

    @Test
    void aChainThatQuotesTheSecretIsCopiedMaskedWithItsTypesAndStackTraces() {
        IOException root = new IOException("body: client_secret=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8));
        RuntimeException top = new IllegalStateException("token request failed", root);
        top.addSuppressed(new IllegalArgumentException("header Authorization: Bearer " + KEY));
        Throwable kept = mask.mask(top);
        assertNotSame(top, kept);
        StringWriter printed = new StringWriter();
        kept.printStackTrace(new PrintWriter(printed));
        assertFalse(printed.toString().contains(KEY) || printed.toString().contains(URLEncoder.encode(KEY,
                StandardCharsets.UTF_8)), printed.toString());
        assertTrue(kept.toString().startsWith("java.lang.IllegalStateException (secrets masked)"), kept.toString());
        assertTrue(kept.getCause().toString().startsWith("java.io.IOException (secrets masked): body: client_secret=******"));
        assertArrayEquals(root.getStackTrace(), kept.getCause().getStackTrace());
        assertEquals(1, kept.getSuppressed().length);
    }

    @Test
    void aChainWithoutASecretIsKeptAsItIsSoItsTypeCanStillBeCaught() {
        IOException plain = new IOException("connection reset");
        assertSame(plain, mask.mask(plain));
    }
}

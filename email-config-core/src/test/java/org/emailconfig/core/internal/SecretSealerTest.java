package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {

    @TempDir
    Path dir;

    @Test
    void sealingIsRandomisedAndRoundTrips() {
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("k"));
        String a = sealer.seal("smtp-password", "password", Secret.of("pw"));
        String b = sealer.seal("smtp-password", "password", Secret.of("pw"));
        assertNotEquals(a, b);
        assertTrue(a.startsWith("v1:"));
        assertEquals(Secret.of("pw"), SecretSealer.fromKeyFile(dir.resolve("k")).unseal("smtp-password", "password", a));
    }

    @Test
    void aSealedValueMovedToAnotherFieldDoesNotOpen() {
        SecretSealer sealer = SecretSealer.ephemeral();
        String sealed = sealer.seal("smtp-password", "password", Secret.of("pw"));
        EmailConfigException e = assertThrows(EmailConfigException.class,
                () -> sealer.unseal("microsoft-oauth2", "clientSecret", sealed));
        assertEquals(Reason.STORE_FAILURE, e.reason());
    }
}

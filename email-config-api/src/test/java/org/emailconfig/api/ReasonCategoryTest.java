package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A host groups reasons by what they are about, without a switch over every code. */
class ReasonCategoryTest {

    @Test
    void everyCategoryHasReasonsAndTheyAreDeclaredTogether() {
        Set<Reason.Category> seen = EnumSet.noneOf(Reason.Category.class);
        Reason.Category current = null;
        for (Reason r : Reason.values()) {
            if (r.category() != current) {
                assertFalse(seen.contains(r.category()), r + " is declared away from the other " + r.category()
                        + " reasons");
                current = r.category();
                seen.add(current);
            }
        }
        assertEquals(EnumSet.allOf(Reason.Category.class), seen, "a category without a reason");
    }

    @Test
    void aReasonIsInTheCategoryItsNameSays() {
        for (Reason r : Reason.values()) {
            if (r.name().startsWith("OAUTH_")) {
                assertEquals(Reason.Category.TOKEN, r.category(), r.name());
            } else if (r.name().startsWith("TLS_")) {
                assertEquals(Reason.Category.TLS, r.category(), r.name());
            } else if (r.name().startsWith("PROVIDER_")) {
                assertEquals(Reason.Category.PROVIDER, r.category(), r.name());
            } else if (r.name().startsWith("AUTH_")) {
                assertEquals(Reason.Category.AUTH, r.category(), r.name());
            }
        }
        assertTrue(Set.of(Reason.SENDER_NOT_ALLOWED, Reason.RECIPIENT_REJECTED).stream()
                .allMatch(r -> r.category() == Reason.Category.ADDRESS));
        assertEquals(Reason.Category.CONNECTION, Reason.READ_TIMEOUT.category());
    }
}

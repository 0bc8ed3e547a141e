package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.emailconfig.api.DiagnosisReport.Outcome;
import org.emailconfig.api.DiagnosisReport.Step;
import org.junit.jupiter.api.Test;

/**
 * A failure's step and the check's step read the same: one vocabulary for {@link DeliveryStep} and
 * {@link DiagnosisReport.Step} ids, so a host that maps steps to its own words needs one table.
 */
class StepVocabularyTest {

    /** The two steps only a check has: they are not part of a delivery. */
    private static final Set<String> CHECK_ONLY = Set.of(Step.AUTH_MECHANISMS, Step.PERMISSIONS);

    @Test
    void everyCheckStepThatIsADeliveryStepHasThatStepsId() throws IllegalAccessException {
        List<String> unmatched = new ArrayList<>();
        for (Field f : Step.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String id = (String) f.get(null);
                Optional<DeliveryStep> step = DeliveryStep.ofId(id);
                if (step.isEmpty() && !CHECK_ONLY.contains(id)) {
                    unmatched.add(f.getName() + "=" + id);
                }
                step.ifPresent(s -> assertEquals(f.getName(), s.name(), "constant " + f.getName() + " names " + s));
            }
        }
        assertEquals(List.of(), unmatched);
    }

    @Test
    void graphIsCalledGraphOnBothSides() {
        assertEquals("graph", DeliveryStep.GRAPH.id());
        assertEquals(DeliveryStep.GRAPH.id(), Step.GRAPH);
        Step step = new Step(Step.GRAPH, Outcome.PASSED, Duration.ZERO, LocalizedText.untranslated("sent"), Map.of());
        assertEquals(Optional.of(DeliveryStep.GRAPH), step.deliveryStep());
    }

    @Test
    void everyDeliveryStepRoundTripsThroughItsId() {
        for (DeliveryStep s : DeliveryStep.values()) {
            assertEquals(Optional.of(s), DeliveryStep.ofId(s.id()));
            assertTrue(s.id().matches("[a-z]+"), s.id());
        }
        assertEquals(Optional.empty(), DeliveryStep.ofId(Step.PERMISSIONS));
        assertEquals(Optional.empty(), DeliveryStep.ofId(null));
        assertEquals(Optional.empty(), DeliveryStep.ofId("TLS"));
    }
}

package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.emailconfig.api.FieldDescriptor.Section;
import org.emailconfig.api.spi.DraftValues;
import org.junit.jupiter.api.Test;

/**
 * What a settings page reads from a field's metadata (section, help text, choice labels, advanced, shown for a
 * choice) and the rules the descriptor keeps so a page can rely on it.
 */
class FieldDescriptorTest {

    static final FieldDescriptor ROUTE = FieldDescriptor.builder("route", FieldKind.CHOICE, "Route", "Weg")
            .allowedValues(List.of("API", "RELAY")).defaultValue("API").section(Section.SERVER)
            .valueLabel("API", "Web API", "Web-API").build();
    static final FieldDescriptor RELAY_PORT = FieldDescriptor.builder("relayPort", FieldKind.PORT, "Relay port",
            "Relay-Port").required().shownWhen("route", "RELAY").section(Section.SERVER).build();

    @Test
    void aFieldShownForOneChoiceIsCheckedAndRequiredOnlyWhileThatValueIsChosen() {
        List<FieldDescriptor> fields = List.of(ROUTE, RELAY_PORT);
        ConfigurationDraft api = ConfigurationDraft.builder("t").set("relayPort", "not a port").build();
        assertEquals(List.of(), DraftValues.check(api, fields, Locale.ENGLISH), "the default API hides the relay port");
        assertFalse(DraftValues.of(api, fields, Locale.ENGLISH).shown("relayPort"));

        ConfigurationDraft relay = ConfigurationDraft.builder("t").set("route", "relay").build();
        List<Violation> missing = DraftValues.check(relay, fields, Locale.ENGLISH);
        assertEquals("relayPort", missing.get(0).field());
        assertEquals("required", missing.get(0).code());
        assertEquals("invalid", DraftValues.check(relay.toBuilder().set("relayPort", "x").build(), fields,
                Locale.ENGLISH).get(0).code());
    }

    @Test
    void aChoiceValueAndHelpTextReadInTheAdminsLanguageWithEnglishAndThenTheValueAsFallback() {
        assertEquals("Web-API", ROUTE.valueLabel("API", Locale.GERMAN));
        assertEquals("Web API", ROUTE.valueLabel("API", Locale.FRENCH));
        assertEquals("RELAY", ROUTE.valueLabel("RELAY", Locale.GERMAN), "a value without a label is shown as it is");
        FieldDescriptor helped = FieldDescriptor.builder("host", FieldKind.HOST, "Host", "Server")
                .description("Your provider's server.", "Der Server Ihres Anbieters.").build();
        assertEquals(Optional.of("Der Server Ihres Anbieters."), helped.description(Locale.GERMAN));
        assertEquals(Optional.of("Your provider's server."), helped.description(Locale.ITALIAN));
        assertEquals(Optional.empty(), ROUTE.description(Locale.ENGLISH));
    }

    @Test
    void whatAPageCouldNotShowIsRefusedWhenTheDescriptorIsBuilt() {
        IllegalArgumentException hiddenRequired = assertThrows(IllegalArgumentException.class, () ->
                FieldDescriptor.builder("endpoint", FieldKind.TEXT, "Endpoint").required().advanced().build());
        assertTrue(hiddenRequired.getMessage().contains("endpoint") && hiddenRequired.getMessage().contains("folded"),
                hiddenRequired.getMessage());
        FieldDescriptor.builder("endpoint", FieldKind.TEXT, "Endpoint").required().advanced().defaultValue("x").build();

        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDescriptor.builder("route", FieldKind.CHOICE,
                "Route").allowedValues(List.of("API")).valueLabel("SOAP", "Soap", "Soap").build()).getMessage()
                .contains("SOAP"));
        assertThrows(IllegalArgumentException.class, () -> FieldDescriptor.builder("host", FieldKind.HOST, "Host")
                .descriptionIn("de", "Nur deutsch").build());
        assertThrows(IllegalArgumentException.class, () -> FieldDescriptor.builder("x", FieldKind.TEXT, "X")
                .shownWhen("route"/* no values */, new String[0]));
    }

    @Test
    void aDescriptorMadeTheWay0Point2DidLandsInAuthenticationOpenAndWithoutHelp() {
        FieldDescriptor old = new FieldDescriptor("apiKey", FieldKind.SECRET, true, null, List.of(),
                Map.of("en", "API key"), null, List.of());
        assertEquals(Section.AUTHENTICATION, old.section());
        assertFalse(old.advanced());
        assertTrue(old.shownFor(null));
        assertEquals(Optional.empty(), old.description(Locale.ENGLISH));
    }
}

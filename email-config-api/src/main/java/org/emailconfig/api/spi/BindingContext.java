package org.emailconfig.api.spi;

import java.util.List;

import org.emailconfig.api.Violation;

/** What the engine offers {@link AuthenticationProvider#bind}. Implemented by the engine. */
public interface BindingContext {

    /**
     * Validates a form object with Jakarta Validation (constraints on its fields, record components or
     * class), without an Expression Language implementation. Property paths become field names: a
     * violation on record component {@code host} is reported for field {@code host}.
     *
     * @param form any object with Jakarta Validation constraints
     * @return every violation found, possibly empty
     */
    List<Violation> validate(Object form);
}

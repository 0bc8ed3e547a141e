package org.emailconfig.api;

/**
 * Receives an {@link AuditEvent} for every attempt to change or test the configuration. Called
 * synchronously on the thread of the attempt, after the outcome is final; an exception thrown here is
 * logged and does not change the outcome.
 */
@FunctionalInterface
public interface AuditListener {

    /**
     * Records one event.
     *
     * @param event never null
     */
    void onEvent(AuditEvent event);
}

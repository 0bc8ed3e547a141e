package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * Receives an {@link AuditEvent} for every attempt to change or test the configuration. Called
 * synchronously on the thread of the attempt, after the outcome is final; an exception thrown here is
 * logged and does not change the outcome.
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface AuditListener {

    /**
     * Records one event.
     *
     * @param event never null
     */
    void onEvent(AuditEvent event);
}

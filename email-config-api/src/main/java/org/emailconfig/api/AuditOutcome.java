package org.emailconfig.api;

import org.apiguardian.api.API;

/** How an attempt to change or test the configuration ended. */
@API(status = API.Status.STABLE, since = "0.1")
public enum AuditOutcome {
    /** Tested successfully and stored. */
    SAVED,
    /** Stored although the test email failed (explicit save anyway, or save-then-test). */
    SAVED_DESPITE_FAILED_TEST,
    /** Stored in place of a damaged configuration, which the store kept aside (explicit replace). */
    SAVED_REPLACING_DAMAGED,
    /** The stored secrets were sealed again with the current key; nothing else changed. */
    SECRETS_RESEALED,
    /** Not stored: the test email failed. */
    REJECTED_TEST_FAILED,
    /** Not stored: field errors. */
    REJECTED_INVALID,
    /** Not stored: another save landed first. */
    REJECTED_CONFLICT,
    /** Not stored: the store failed. */
    REJECTED_STORE_FAILURE,
    /** Not stored, not checked: the authentication provider failed unexpectedly while reading the draft. */
    REJECTED_PROVIDER_FAILURE,
    /** Refused: the actor is not an administrator. */
    REFUSED_NOT_ALLOWED,
    /** A test email with the configuration in force was delivered. */
    TEST_DELIVERED,
    /** A test email with the configuration in force failed. */
    TEST_FAILED,
    /** A draft was checked without sending ({@link EmailConfigurationService#verify}); every step passed. */
    VERIFIED,
    /** A draft was checked without sending; a step failed (the event's reason says which failure). */
    VERIFY_FAILED,
    /**
     * A draft was "checked" without sending, but nothing failed and nothing passed: its type has no check of its
     * own (only opening its delivery, which may not reach the service), so only the test email can tell.
     */
    VERIFY_INCONCLUSIVE,
    /** An administrator sent a notification of the outbox once more ({@link AuditEvent#notification()}). */
    NOTIFICATION_RESENT,
    /** An administrator discarded a notification of the outbox ({@link AuditEvent#notification()}). */
    NOTIFICATION_DISCARDED,
    /**
     * Something the configuration in force depends on expires within a warning threshold (30 and 7 days unless the
     * host set others): the server's certificate as real sends saw it, or the Microsoft client secret by the date the
     * administrator entered beside it. Once per threshold and expiry; the event's
     * warnings say what and when; its actor is {@code email-config}.
     *
     * @since 0.4
     */
    EXPIRY_WARNING
}

package org.emailconfig.api;

import org.apiguardian.api.API;

/** What {@link EmailConfigurationService#save} does with the test email that every save sends. */
@API(status = API.Status.STABLE, since = "0.1")
public enum TestPolicy {
    /**
     * The default: send the test email first and store only when it was accepted. A failed test
     * leaves the previous configuration in force.
     */
    REQUIRE_SUCCESS,
    /**
     * Send the test email first and store even when it fails (the server is down for maintenance);
     * recorded in the audit as saved despite a failed test.
     */
    SAVE_ANYWAY,
    /**
     * Store first, then send the test email and report its outcome (the behaviour of hosts that
     * "save, then send"). A failed test does not undo the save.
     */
    SAVE_THEN_TEST
}

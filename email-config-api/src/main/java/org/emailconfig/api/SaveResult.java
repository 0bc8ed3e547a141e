package org.emailconfig.api;

import java.util.List;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a save that stored the configuration.
 *
 * @param revision    the new revision in force
 * @param testFailure why the test email failed, when the policy stored it anyway; null when the test
 *                    email was accepted
 * @param warnings    what the administrator should know about the stored configuration (for example that
 *                    the password travels unencrypted, as the application allows); empty when nothing
 */
@API(status = API.Status.STABLE, since = "0.1")
public record SaveResult(long revision, @Nullable DeliveryFailedException testFailure, List<String> warnings) {

    /**
     * Copies the warnings.
     *
     * @param revision the new revision in force
     * @param testFailure why the test email failed, when the policy stored it anyway; null when the test email was accepted
     * @param warnings what the administrator should know about the stored configuration (for example that the password travels unencrypted, as the application allows); empty when nothing
     */
    public SaveResult {
        warnings = List.copyOf(warnings);
    }

    /**
     * A result without warnings.
     *
     * @param revision    the new revision in force
     * @param testFailure the test failure, or null
     */
    public SaveResult(long revision, @Nullable DeliveryFailedException testFailure) {
        this(revision, testFailure, List.of());
    }

    /**
     * Whether the test email was accepted by the server.
     *
     * @return true when it was
     */
    public boolean testDelivered() {
        return testFailure == null;
    }

    /**
     * The test failure, if any.
     *
     * @return empty when the test email was accepted
     */
    public Optional<DeliveryFailedException> testFailureIfAny() {
        return Optional.ofNullable(testFailure);
    }
}

package org.emailconfig.api;

import java.util.Optional;

/**
 * The outcome of a save that stored the configuration.
 *
 * @param revision    the new revision in force
 * @param testFailure why the test email failed, when the policy stored it anyway; null when the test
 *                    email was accepted
 */
public record SaveResult(long revision, DeliveryFailedException testFailure) {

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

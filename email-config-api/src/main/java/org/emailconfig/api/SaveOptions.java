package org.emailconfig.api;

import java.util.Objects;

import org.apiguardian.api.API;

/**
 * Options of one save. Immutable: start from {@link #defaults()} and derive with the {@code with...}
 * methods, each of which returns a new object ({@code SaveOptions.defaults().withTestPolicy(SAVE_ANYWAY)}).
 *
 * @param testPolicy       what to do with the test email
 * @param expectedRevision the revision the form was loaded at, or -1 to accept whatever is stored
 *                         (concurrent saves are still detected between load and store)
 * @param mayReplaceDamaged whether a damaged stored configuration may be replaced; without it, a save
 *                         over damaged data fails with {@link Reason#STORE_FAILURE}
 */
@API(status = API.Status.STABLE, since = "0.1")
public record SaveOptions(TestPolicy testPolicy, long expectedRevision, boolean mayReplaceDamaged) {

    /** Any revision: the one in force when the save starts. */
    public static final long ANY_REVISION = -1;

    /**
     * Checks the components.
     *
     * @param testPolicy what to do with the test email
     * @param expectedRevision the revision the form was loaded at, or -1 to accept whatever is stored (concurrent saves are still detected between load and store)
     * @param mayReplaceDamaged whether a damaged stored configuration may be replaced; without it, a save over damaged data fails with {@link Reason#STORE_FAILURE}
     */
    public SaveOptions {
        Objects.requireNonNull(testPolicy, "testPolicy");
        if (expectedRevision < ANY_REVISION) {
            throw new IllegalArgumentException("expectedRevision must be >= 0, or ANY_REVISION");
        }
    }

    /**
     * Options that never replace a damaged stored configuration.
     *
     * @param testPolicy       what to do with the test email
     * @param expectedRevision the revision the form was loaded at, or {@link #ANY_REVISION}
     */
    public SaveOptions(TestPolicy testPolicy, long expectedRevision) {
        this(testPolicy, expectedRevision, false);
    }

    /**
     * The safe defaults: test first, any revision.
     *
     * @return the defaults
     */
    public static SaveOptions defaults() {
        return new SaveOptions(TestPolicy.REQUIRE_SUCCESS, ANY_REVISION, false);
    }

    /**
     * A copy with another test policy. Like {@code java.time}'s {@code with...} methods it returns a new
     * object and changes nothing: pass the result to {@code save}.
     *
     * @param policy the policy
     * @return a copy
     */
    public SaveOptions withTestPolicy(TestPolicy policy) {
        return new SaveOptions(policy, expectedRevision, mayReplaceDamaged);
    }

    /**
     * A copy that fails with {@link ConcurrentUpdateException} unless the stored revision is this one.
     *
     * @param revision from {@link ConfigurationView#revision()}
     * @return a copy; this object is unchanged
     */
    public SaveOptions withExpectedRevision(long revision) {
        return new SaveOptions(testPolicy, revision, mayReplaceDamaged);
    }

    /**
     * A copy that replaces a damaged stored configuration ({@link ConfigurationView#isDamaged()}): the
     * administrator has seen why it cannot be read and chose to enter a new one. The store keeps the
     * damaged data aside; the audit records {@link AuditOutcome#SAVED_REPLACING_DAMAGED}.
     *
     * @return a copy; this object is unchanged
     */
    public SaveOptions withDamagedReplaced() {
        return new SaveOptions(testPolicy, expectedRevision, true);
    }
}

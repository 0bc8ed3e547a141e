package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * A save expected one stored revision but found another; nothing was stored.
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public class ConcurrentUpdateException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    private final long expectedRevision;
    private final long actualRevision;

    /**
     * Creates the exception.
     *
     * @param expectedRevision the revision the save was based on
     * @param actualRevision   the revision found in the store
     */
    public ConcurrentUpdateException(long expectedRevision, long actualRevision) {
        super(Reason.CONCURRENT_UPDATE, "The configuration changed meanwhile: expected revision " + expectedRevision
                + " but the store holds revision " + actualRevision);
        this.expectedRevision = expectedRevision;
        this.actualRevision = actualRevision;
    }

    /**
     * The revision the save was based on.
     *
     * @return a revision
     */
    public long expectedRevision() {
        return expectedRevision;
    }

    /**
     * The revision found in the store.
     *
     * @return a revision
     */
    public long actualRevision() {
        return actualRevision;
    }
}

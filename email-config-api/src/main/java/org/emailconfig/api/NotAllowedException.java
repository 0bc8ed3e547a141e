package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * The actor is not allowed to do this; nothing was changed or sent.
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public class NotAllowedException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, for whom
     */
    public NotAllowedException(String message) {
        super(Reason.NOT_ALLOWED, message);
    }
}

package org.emailconfig.api;

import org.apiguardian.api.API;

/** What kind of input a form field takes, so a UI can choose the right widget. */
@API(status = API.Status.STABLE, since = "0.1")
public enum FieldKind {
    /** Free text on one line. */
    TEXT,
    /** An email address. */
    EMAIL,
    /** A host name or IP address. */
    HOST,
    /** A TCP port, 1 to 65535. */
    PORT,
    /** true or false. */
    BOOLEAN,
    /** One of {@link FieldDescriptor#allowedValues()}. */
    CHOICE,
    /** A secret: never shown, a blank submission keeps the stored value. */
    SECRET
}

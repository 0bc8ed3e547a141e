/**
 * Secrets at rest and the host's store: the sealed format and its key file, private files, and the guard that
 * turns a host store's failures into the library's. A leaf: it knows the api only, never the service.
 */
@NullMarked
package org.emailconfig.core.internal.store;

import org.jspecify.annotations.NullMarked;

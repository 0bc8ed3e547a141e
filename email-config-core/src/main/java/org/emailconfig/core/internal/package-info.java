/**
 * The service and what it is made of: the operations ({@link org.emailconfig.core.internal.ConfigurationService}),
 * the configuration in force, the draft binding, first-time setup, the audit trail, notifications and following
 * the store, and the assembly ({@link org.emailconfig.core.internal.Engine}). The SMTP engine, secrets at rest and
 * the texts are the leaf packages below. Not exported; no compatibility promise.
 */
@NullMarked
package org.emailconfig.core.internal;

import org.jspecify.annotations.NullMarked;

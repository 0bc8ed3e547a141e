/**
 * The configuration model ({@link org.emailconfig.api.EmailConfiguration} and its records), value
 * types such as {@link org.emailconfig.api.EmailAddress} and {@link org.emailconfig.api.Secret}, the
 * host's entry point {@link org.emailconfig.api.EmailConfigurationService}, audit events and the
 * exception hierarchy rooted at {@link org.emailconfig.api.EmailConfigException}.
 */
@NullMarked
package org.emailconfig.api;

import org.jspecify.annotations.NullMarked;

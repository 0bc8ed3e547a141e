/**
 * Jakarta Validation constraints for the form objects of authentication providers, applying the same
 * rules as the value types ({@link org.emailconfig.api.EmailAddress}, {@link org.emailconfig.api.Sender},
 * {@link org.emailconfig.api.SmtpServer}), so a form reports exactly what a constructor would reject.
 */
@NullMarked
package org.emailconfig.api.validation;

import org.jspecify.annotations.NullMarked;

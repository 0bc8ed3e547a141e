/** The {@code smtp-password} authentication provider and the form object it validates. */
@NullMarked
package org.emailconfig.smtp.basic;

import org.jspecify.annotations.NullMarked;

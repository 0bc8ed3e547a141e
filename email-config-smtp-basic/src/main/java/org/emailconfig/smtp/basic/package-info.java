/** The {@code smtp-password} authentication provider and the form object it validates. */
package org.emailconfig.smtp.basic;

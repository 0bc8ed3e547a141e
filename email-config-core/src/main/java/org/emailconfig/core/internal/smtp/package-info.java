/**
 * The SMTP engine on Angus Mail: connecting with a deadline and TLS that never gets weaker, logging in, sending,
 * reading a failure as a reason with a hint, and the connection check's steps. A leaf: it knows the api and the
 * engine's texts, never the service.
 */
@NullMarked
package org.emailconfig.core.internal.smtp;

import org.jspecify.annotations.NullMarked;

/**
 * The {@code microsoft-oauth2} authentication provider: its form, the token service (one confidential
 * client per configuration, tokens cached and renewed before expiry, one request at a time), Graph
 * {@code sendMail} delivery and the classification of Entra ID and Graph failures.
 */
@NullMarked
package org.emailconfig.msoauth;

import org.jspecify.annotations.NullMarked;

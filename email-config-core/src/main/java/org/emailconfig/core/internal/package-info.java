/**
 * Implementation of the service: save flow, provider discovery, validation, secret sealing, the SMTP
 * engine on Angus Mail and failure classification. Not exported; no compatibility promise.
 */
package org.emailconfig.core.internal;

/**
 * Test support for hosts and integrators: {@link org.emailconfig.testkit.SandboxMailServer} starts a real
 * SMTP and SMTPS server (GreenMail) on 127.0.0.1, creates mailboxes, and hands tests ready drafts, an
 * administrator actor, the trust store for its certificate, and the messages it received.
 * {@link org.emailconfig.testkit.ConfigStoreContract} is the contract a host runs against its own
 * {@link org.emailconfig.api.spi.ConfigStore}.
 */
@NullMarked
package org.emailconfig.testkit;

import org.jspecify.annotations.NullMarked;

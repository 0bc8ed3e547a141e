package org.emailconfig.core.internal;

import org.apiguardian.api.API;

/**
 * The mail provider's limits per sending mailbox, kept for all nodes together: a ceiling on open connections, a
 * budget of messages per window, and a pause when the provider said to slow down. Without an outbox every call lets
 * everything through ({@link #NONE}).
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public interface MailboxGate {

    /** No limits. */
    MailboxGate NONE = new MailboxGate() {
        @Override
        public boolean openConnection(String mailbox) {
            return true;
        }

        @Override
        public void connectionClosed(String mailbox) {
        }

        @Override
        public long reserveMessage(String mailbox) {
            return 0;
        }

        @Override
        public void pause(String mailbox, java.time.Duration pause) {
        }

        @Override
        public void renew() {
        }
    };

    /**
     * Takes a connection slot of a mailbox for a connection about to open.
     *
     * @param mailbox the sending mailbox, lower case
     * @return false when every slot is held, here or on other nodes: the connection must not open
     */
    boolean openConnection(String mailbox);

    /**
     * Gives back the slot of a connection that closed.
     *
     * @param mailbox the sending mailbox
     */
    void connectionClosed(String mailbox);

    /**
     * Counts a message against the mailbox's budget, if it fits.
     *
     * @param mailbox the sending mailbox
     * @return 0 when the message may start now (it is counted); otherwise how many milliseconds until it may
     */
    long reserveMessage(String mailbox);

    /**
     * Pauses a mailbox for every node: the provider asked to slow down.
     *
     * @param mailbox the sending mailbox
     * @param pause   for how long, from now
     */
    void pause(String mailbox, java.time.Duration pause);

    /** Keeps this node's slots held while their connections stay open; called every few seconds. */
    void renew();
}

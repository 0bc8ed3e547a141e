package org.emailconfig.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.AuditOutcome;

/** Keeps every audit event, for assertions. */
public final class RecordingAudit implements AuditListener {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(AuditEvent event) {
        events.add(event);
    }

    public List<AuditEvent> events() {
        return List.copyOf(events);
    }

    public AuditEvent last() {
        if (events.isEmpty()) {
            throw new AssertionError("no audit event recorded");
        }
        return events.get(events.size() - 1);
    }

    public List<AuditOutcome> outcomes() {
        return events.stream().map(AuditEvent::outcome).toList();
    }
}

package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The notification retry policy: exponential steps from 250 ms, capped at 8 s, each waited for half to all
 * of its length (jitter, so many nodes retrying after one outage do not hit the server at the same instant),
 * and never shorter than the server's Retry-After.
 */
class BackoffTest {

    private static LongSummaryStatistics waits(int attempts, Duration retryAfter) {
        return IntStream.range(0, 2_000).mapToLong(i -> Notifications.backoff(attempts, retryAfter)).summaryStatistics();
    }

    @Test
    void eachStepDoublesFrom250MillisecondsAndIsWaitedHalfToAllOfItsLength() {
        long step = 250;
        for (int attempt = 1; attempt <= 6; attempt++, step *= 2) {
            LongSummaryStatistics w = waits(attempt, Duration.ZERO);
            assertTrue(w.getMin() >= step / 2 && w.getMax() <= step, "attempt " + attempt + ": " + w);
            // Jitter really spreads the waits over the whole range.
            assertTrue(w.getMin() < step * 5 / 8 && w.getMax() > step * 7 / 8, "attempt " + attempt + ": " + w);
        }
    }

    @Test
    void theStepStopsGrowingAtEightSecondsHoweverManyAttempts() {
        for (int attempt : new int[] {6, 7, 12, 40}) {
            LongSummaryStatistics w = waits(attempt, Duration.ZERO);
            assertTrue(w.getMin() >= 4_000 && w.getMax() <= 8_000, "attempt " + attempt + ": " + w);
            assertTrue(w.getMax() > 7_000, "attempt " + attempt + ": " + w);
        }
    }

    @Test
    void aServersRetryAfterIsAFloorNotACeiling() {
        assertEquals(3_000, waits(1, Duration.ofSeconds(3)).getMin());
        assertEquals(3_000, waits(1, Duration.ofSeconds(3)).getMax());
        LongSummaryStatistics shortAsk = waits(3, Duration.ofMillis(100));
        assertTrue(shortAsk.getMin() >= 500, shortAsk.toString());
    }
}

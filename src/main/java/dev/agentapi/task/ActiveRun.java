package dev.agentapi.task;

/**
 * A task a worker of this replica runs, with what the heartbeat learned about it meanwhile. The run
 * also fences itself: once it cannot show a lease extension younger than the lease (the heartbeat
 * stalled, the database is unreachable), it counts its lease as lost, before the reaper of another
 * replica may take the task back. It knows when the task's runtime budget (what its earlier attempts
 * left of it) is spent, counted from the claim.
 */
final class ActiveRun {

    /** Part of the lease the run trusts, leaving room for the time a heartbeat takes to reach the database. */
    private static final double TRUSTED_SHARE = 0.8;

    private final TaskRow task;
    private final String leaseOwner;
    private final long trustedNanos;
    private volatile long validUntil;
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    /** System.nanoTime() when the runtime budget is spent; Long.MAX_VALUE-ish when the task has none. */
    private final long budgetEnds;
    private final boolean budgeted;

    /** {@code claimedAt}: System.nanoTime() taken before the claim statement was sent. */
    ActiveRun(TaskRow task, String leaseOwner, java.time.Duration lease, long claimedAt) {
        this.task = task;
        this.leaseOwner = leaseOwner;
        this.cancelRequested = task.cancelRequested();
        this.trustedNanos = (long) (lease.toNanos() * TRUSTED_SHARE);
        this.validUntil = claimedAt + trustedNanos;
        this.budgeted = task.maxRuntimeMs() != null;
        this.budgetEnds = budgeted ? claimedAt + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                Math.max(0, task.maxRuntimeMs() - task.runtimeMs())) : 0;
    }

    /** The task has run for its whole runtime budget, over its attempts. */
    boolean isBudgetSpent() {
        return budgeted && System.nanoTime() - budgetEnds >= 0;
    }

    /** The lease was extended by a statement sent at {@code sentAt} (System.nanoTime()). */
    void extended(long sentAt) {
        validUntil = Math.max(validUntil, sentAt + trustedNanos);
    }

    TaskRow task() {
        return task;
    }

    String leaseOwner() {
        return leaseOwner;
    }

    void cancelRequested() {
        cancelRequested = true;
    }

    void leaseLost() {
        leaseLost = true;
    }

    boolean isCancelRequested() {
        return cancelRequested;
    }

    boolean isLeaseLost() {
        return leaseLost || System.nanoTime() - validUntil > 0;
    }
}

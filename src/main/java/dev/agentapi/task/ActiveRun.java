package dev.agentapi.task;

/** A task a worker of this replica runs, with what the heartbeat learned about it meanwhile. */
final class ActiveRun {

    private final TaskRow task;
    private final String leaseOwner;
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;

    ActiveRun(TaskRow task, String leaseOwner) {
        this.task = task;
        this.leaseOwner = leaseOwner;
        this.cancelRequested = task.cancelRequested();
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
        return leaseLost;
    }
}

package org.duvisor.workloads;

/** Thrown when {@code workloads/build.sh} cannot be run or fails. */
public final class WorkloadBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkloadBuildException(String message) {
        super(message);
    }

    public WorkloadBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}

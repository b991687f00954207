package dev.agentapi.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Tells a database that cannot be reached (retry later: 503) from a request it refused (a bug or bad data). */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof QueryTimeoutException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && (lostConnection(sql.getSQLState()) || closedConnection(sql.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE 08: connection exception; 57P: operator intervention (shutdown); 53: insufficient
     * resources (too many connections, out of memory or disk); 55000: database not accepting connections.
     */
    private static boolean lostConnection(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || state.equals("55000"));
    }

    /** A pooled connection the server dropped; the rollback that follows reports only this. */
    private static boolean closedConnection(String message) {
        return message != null && (message.equals("Connection is closed") || message.startsWith("This connection has been closed"));
    }
}

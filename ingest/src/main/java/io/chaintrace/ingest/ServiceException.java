package io.chaintrace.ingest;

/**
 * A remote service (a node, an Esplora or explorer API) could not be used: unreachable or failing
 * after retries, refusing the credentials, or answering something that makes no sense. The message
 * names the service with its credentials hidden.
 */
public class ServiceException extends RuntimeException {
    public ServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServiceException(String message) {
        super(message);
    }
}

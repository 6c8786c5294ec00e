package io.chaintrace.ingest.eth;

/** The node could not be used: unreachable after retries, a permanent JSON-RPC error, an answer that makes no sense. */
public final class EthRpcException extends io.chaintrace.ingest.ServiceException {
    public EthRpcException(String message, Throwable cause) {
        super(message, cause);
    }

    public EthRpcException(String message) {
        super(message);
    }
}

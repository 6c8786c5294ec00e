package io.chaintrace.ingest;

/**
 * A service answered with data that is not what was asked for: bytes that do not hash to the block
 * or transaction id requested, or that do not parse. Nothing of it is stored; the message names
 * the block or transaction.
 */
public final class CorruptAnswerException extends RuntimeException {
    public CorruptAnswerException(String message) {
        super(message);
    }
}

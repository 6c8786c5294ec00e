package io.chaintrace.cli.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One client's command: its stdout and stderr gathered, then sent after the exit code (the client, a shell, needs the
 * code and where stderr ends before it copies stdout to the end). The commands routed here print a report, not a stream.
 */
final class Session {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    synchronized void write(boolean toErr, byte[] b, int off, int len) {
        (toErr ? err : out).write(b, off, len);
    }

    synchronized void answer(String answerToken, int exit, OutputStream socket) throws IOException {
        socket.write(Wire.head(answerToken, exit, err.size()));
        err.writeTo(socket);
        out.writeTo(socket);
        socket.flush();
    }
}

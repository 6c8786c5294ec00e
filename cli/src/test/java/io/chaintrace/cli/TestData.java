package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: real blocks from ../shared/data, and block files made from them. */
final class TestData {
    private TestData() {
    }

    static Path blk(String name) {
        String prop = System.getProperty("chaintrace.shared");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        Path f = shared.resolve("data").resolve("btc").resolve("blk").resolve(name);
        if (!Files.isRegularFile(f)) {
            fail("real block data not found at " + f.toAbsolutePath()
                    + ": these tests need ../shared/data beside the repository (set -Dchaintrace.shared=DIR)");
        }
        return f;
    }

    /** The records (magic + length + block) of a framed file, in file order. */
    static List<byte[]> records(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            int start = b.position();
            b.getInt();
            int len = b.getInt();
            byte[] rec = new byte[8 + len];
            b.position(start);
            b.get(rec);
            out.add(rec);
        }
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static long offsetOf(List<byte[]> records, int index) {
        long off = 0;
        for (int i = 0; i < index; i++) {
            off += records.get(i).length;
        }
        return off;
    }

    /** Runs the CLI in a child JVM with this test's class path. */
    static ProcessBuilder child(List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Chaintrace.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}

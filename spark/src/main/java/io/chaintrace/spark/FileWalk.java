package io.chaintrace.spark;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files under a directory of any Hadoop file system, found by plain listings. Not {@code FileSystem.listFiles}: it
 * gives each file as a {@code LocatedFileStatus}, whose constructor reads the file's owner and permissions, and the
 * local file system without Hadoop's native library reads them by running {@code ls -ld} - a process per file, each time
 * a job looks at an export's layout (thousands for an export of many height ranges).
 */
final class FileWalk {
    private FileWalk() {
    }

    /**
     * Visits every file under {@code root} (not directories), depth first; stops when {@code visit} returns false.
     * Returns false when it stopped so.
     */
    static boolean files(FileSystem fs, Path root, Predicate<Path> visit) throws IOException {
        Deque<Path> dirs = new ArrayDeque<>();
        dirs.push(root);
        while (!dirs.isEmpty()) {
            FileStatus[] entries = fs.listStatus(dirs.pop());
            // Pushed in reverse: the directories are walked in their listing order.
            for (int i = entries.length - 1; i >= 0; i--) {
                if (entries[i].isDirectory()) {
                    dirs.push(entries[i].getPath());
                }
            }
            for (FileStatus e : entries) {
                if (!e.isDirectory() && !visit.test(e.getPath())) {
                    return false;
                }
            }
        }
        return true;
    }
}

package io.chaintrace.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, each part its own JVM started from spark-core's deploy classes on
 * 127.0.0.1: a master and {@code workers} workers (SPARK_HOME = the module's {@code target/spark-home}, a distribution's
 * {@code jars/}), and submissions of the shaded job jar by {@code SparkSubmit} in a JVM of its own, as
 * {@code spark-submit} does. Logs go to {@code dir}; {@link #close} stops every part.
 */
final class LocalCluster implements AutoCloseable {
    final Path dir;
    final String master;
    final Path sparkHome = Path.of("target", "spark-home").toAbsolutePath();
    final Path jobJar = Path.of("target", "chaintrace-spark-job.jar").toAbsolutePath();
    final List<Path> workDirs = new ArrayList<>();
    private final String javaBin = ProcessHandle.current().info().command().orElseThrow();
    private final List<Process> daemons = new ArrayList<>();
    private final int cores;

    LocalCluster(Path dir, int workers, int coresPerWorker, String workerMemory) throws Exception {
        this.dir = dir;
        this.cores = workers * coresPerWorker;
        if (!Files.isDirectory(sparkHome.resolve("jars")) || !Files.exists(jobJar)) {
            throw new IllegalStateException("package the module first (mvn verify does): " + sparkHome + ", " + jobJar);
        }
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        try {
            Process m = daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--webui-port", Integer.toString(freePort()));
            awaitLog(dir.resolve("master.log"), "I have been elected leader", m);
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(dir.resolve("work-" + w));
                workDirs.add(work);
                Process p = daemon("worker-" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                        Integer.toString(coresPerWorker), "--memory", workerMemory, "--webui-port", Integer.toString(freePort()),
                        "--work-dir", work.toString(), master);
                awaitLog(dir.resolve("worker-" + w + ".log"), "Successfully registered with master", p);
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroy); // executors first
            p.destroy();
        }
        for (Process p : daemons) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A JVM on Spark's jars alone, with the options Spark needs on this JDK, every address on loopback. */
    ProcessBuilder jvm(String name, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx" + heap));
        for (String a : System.getProperty("chaintrace.spark.jvm.args", "").split(" ")) {
            if (!a.isBlank()) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        b.environment().put("SPARK_HOME", sparkHome.toString());
        b.environment().put("SPARK_SCALA_VERSION", "2.13");
        b.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        b.environment().put("SPARK_LOG_DIR", dir.toString());
        return b;
    }

    private Process daemon(String name, String main, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of(main));
        a.addAll(List.of(args));
        Process p = jvm(name, "512m", a).start();
        daemons.add(p);
        return p;
    }

    static void awaitLog(Path log, String line, Process p) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited before '" + line + "': " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in " + log + " after 90 s: " + Files.readString(log));
    }

    /** {@code spark-submit --master spark://... --class ... chaintrace-spark-job.jar ARGS}, in its own JVM; log in name.log. */
    ProcessBuilder submit(String name, String executorMemory, String... args) {
        List<String> a = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client",
                "--class", "io.chaintrace.spark.SparkCommand",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=" + executorMemory,
                // Two tasks per core of the cluster (Spark's default of 200 is for clusters of many machines).
                "--conf", "spark.sql.shuffle.partitions=" + 2 * cores,
                // Small stages: no task waits for a data-local slot (the default waits 3 s per stage).
                "--conf", "spark.locality.wait=0s",
                "--conf", "spark.executor.extraJavaOptions=" + System.getProperty("chaintrace.spark.jvm.args", ""),
                jobJar.toString()));
        a.addAll(List.of(args));
        return jvm(name, "2g", a);
    }

    /** Submits and waits; the log when it fails. */
    void run(String name, String executorMemory, String... args) throws Exception {
        Process p = submit(name, executorMemory, args).start();
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(name + " took over an hour");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(name + " exited " + p.exitValue() + ": " + Files.readString(dir.resolve(name + ".log")));
        }
    }

    /** How many executors worker {@code w} (from 1) was asked to launch so far. */
    long launched(int w) throws IOException {
        return Files.readString(dir.resolve("worker-" + w + ".log")).split("Asked to launch executor", -1).length - 1;
    }

    /** The executors' JVMs running now (the workers' children). */
    List<ProcessHandle> executors() {
        List<ProcessHandle> e = new ArrayList<>();
        for (Process p : daemons) {
            p.children().forEach(e::add);
        }
        return e;
    }
}

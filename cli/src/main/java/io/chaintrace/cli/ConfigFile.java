package io.chaintrace.cli;

import io.chaintrace.core.pattern.PatternSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The optional config file ({@code --config FILE}, or {@code $CHAINTRACE_CONFIG}): Java properties.
 * {@code <command>.<option>} sets an option's default for one command ({@code trace.policy = fifo},
 * {@code batch.hops = 4}, {@code ingest.btc-blocks.threads = 2}); a bare {@code <option>} sets it
 * for every command that has it ({@code stop-at = exchange,deposit}); {@code patterns.<setting>}
 * sets a detector threshold ({@code patterns.fanOut.minPayees = 8}, see {@link PatternSettings}).
 * Options given on the command line win. Unknown keys are errors, named with the file.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Path file;
    private final Map<String, String> options;
    private final PatternSettings patterns;

    private ConfigFile(Path file, Map<String, String> options, PatternSettings patterns) {
        this.file = file;
        this.options = options;
        this.patterns = patterns;
    }

    static ConfigFile none() {
        return new ConfigFile(null, Map.of(), PatternSettings.defaults());
    }

    /**
     * The file named by {@code --config} in {@code args}, else by {@code envConfig} (the value of {@code $CHAINTRACE_CONFIG}),
     * else none; a relative path against {@code cwd} (null: this process's directory).
     */
    static ConfigFile from(String[] args, Path cwd, String envConfig) {
        String path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        if (path == null) {
            path = envConfig;
        }
        return path == null || path.isBlank() ? none() : read(cwd == null ? Path.of(path) : cwd.resolve(path));
    }

    static ConfigFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " not found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": cannot read the config file: " + e.getMessage());
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> patterns = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            (key.startsWith("patterns.") ? patterns : options).put(key.startsWith("patterns.") ? key.substring("patterns.".length()) : key,
                    p.getProperty(key).strip());
        }
        for (Map.Entry<String, String> e : patterns.entrySet()) {
            try {
                PatternSettings.of(Map.of(e.getKey(), e.getValue())); // one at a time, to name the line of a bad one
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where(file, "patterns." + e.getKey()) + bad.getMessage());
            }
        }
        return new ConfigFile(file, options, PatternSettings.of(patterns));
    }

    /** "FILE: line N: " for the line that sets {@code key} (Java properties keep no line numbers). */
    private static String where(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).stripLeading();
                if (l.startsWith(key) && (l.length() == key.length() || "=: \t".indexOf(l.charAt(key.length())) >= 0)) {
                    return file + ": line " + (i + 1) + ": ";
                }
            }
        } catch (IOException e) {
            // the file was read a moment ago; without it, the message names the file only
        }
        return file + ": ";
    }

    PatternSettings patterns() {
        return patterns;
    }

    /** Whether the file sets no command's option (none given, or only detector thresholds). */
    boolean isEmpty() {
        return options.isEmpty();
    }

    /** Refuses keys that name no option of any command: a typo would otherwise be ignored. */
    void check(CommandLine root) {
        Set<String> known = new HashSet<>();
        collect(root.getCommandSpec(), known);
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where(file, key) + "'" + key + "' names no option (use <command>.<option>, e.g."
                        + " trace.policy, or patterns.<setting>)");
            }
        }
    }

    private static void collect(CommandSpec spec, Set<String> known) {
        String prefix = path(spec);
        for (OptionSpec o : spec.options()) {
            String name = o.longestName().replaceFirst("^-+", "");
            known.add(name);
            known.add(prefix.isEmpty() ? name : prefix + "." + name);
        }
        spec.subcommands().values().forEach(c -> collect(c.getCommandSpec(), known));
    }

    /** The command's path below the root: "trace", "ingest.btc-blocks". */
    private static String path(CommandSpec spec) {
        List<String> names = new java.util.ArrayList<>();
        for (CommandSpec s = spec; s.parent() != null; s = s.parent()) {
            names.addFirst(s.name());
        }
        return String.join(".", names);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || options.isEmpty()) {
            return null;
        }
        String name = o.longestName().replaceFirst("^-+", "");
        String prefix = path(o.command());
        String v = options.get(prefix.isEmpty() ? name : prefix + "." + name);
        return v != null ? v : options.get(name);
    }
}

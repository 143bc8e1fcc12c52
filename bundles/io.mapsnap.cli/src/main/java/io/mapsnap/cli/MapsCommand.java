package io.mapsnap.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import io.mapsnap.api.format.JsonWriter;
import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;

/** {@code mapsnap maps PID [--source NAME] [--json]}: a process's memory map in /proc/PID/maps format. */
final class MapsCommand implements Subcommand {
    private final VmaSourceSelector selector;

    MapsCommand(VmaSourceSelector selector) {
        this.selector = selector;
    }

    @Override
    public String name() {
        return "maps";
    }

    @Override
    public String synopsis() {
        return "maps PID [--source NAME] [--json]   the process's memory map, as /proc/PID/maps prints it";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Integer pid = null;
        Optional<String> source = Optional.empty();
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--source" -> {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("maps: --source needs a NAME");
                    }
                    source = Optional.of(args.get(++i));
                }
                default -> {
                    if (pid != null) {
                        throw new UsageException("maps: unexpected argument '" + a + "'");
                    }
                    pid = parsePid(a);
                }
            }
        }
        if (pid == null) {
            throw new UsageException("maps: which PID?");
        }
        try (VmaSourceSelector.Chosen chosen = selector.choose(source)) {
            chosen.skipped().forEach(line -> err.println("mapsnap: " + line));
            VmaSnapshot snap = chosen.source().snapshot(pid);
            out.print(json ? json(snap) + "\n" : snap.toProcMaps());
            err.printf("mapsnap: %d VMAs of %d (%s) from source %s%s%n", snap.vmas().size(), snap.tgid(), snap.comm(),
                    snap.source(), snap.truncated() ? ", TRUNCATED" : "");
            return 0;
        } catch (ProcessGoneException e) {
            err.println("mapsnap maps: " + e.getMessage());
            return MapsnapCommandLine.PROCESS_GONE;
        }
    }

    static int parsePid(String text) throws UsageException {
        try {
            int pid = Integer.parseInt(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw new UsageException("not a process id: '" + text + "'");
    }

    static String json(VmaSnapshot s) {
        JsonWriter w = new JsonWriter().beginObject()
                .field("schema", "mapsnap.maps/1")
                .field("tgid", (long) s.tgid())
                .field("comm", s.comm())
                .field("processStartTime", s.processStartTime())
                .field("takenAt", s.takenAt().toString())
                .field("source", s.source())
                .field("truncated", s.truncated())
                .beginArray("vmas");
        for (Vma v : s.vmas()) {
            w.beginObject()
                    .field("start", Long.toHexString(v.start()))
                    .field("end", Long.toHexString(v.end()))
                    .field("permissions", v.permissions().toString())
                    .field("offset", v.offset())
                    .field("device", String.format("%02x:%02x", v.deviceMajor(), v.deviceMinor()))
                    .field("inode", v.inode())
                    .field("path", v.path())
                    .field("buildId", v.buildIdHex())
                    .endObject();
        }
        return w.endArray().endObject().toString();
    }
}

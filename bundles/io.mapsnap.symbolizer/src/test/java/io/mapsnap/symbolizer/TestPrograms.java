package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Builds symbolizer_target.c at test time, once per variant, under target/test-programs, with the host's gcc and
 * binutils; and asks llvm-nm-19 / llvm-readelf-19 (independent of our reader) what the results contain. A missing
 * tool skips the calling test with the reason.
 */
final class TestPrograms {
    enum Variant {
        /** Position-independent, with .symtab. */
        PIE,
        /** Fixed addresses, with .symtab. */
        NO_PIE,
        /** PIE with every symbol table but .dynsym stripped (no exported functions in it). */
        STRIPPED,
        /** PIE linked with -rdynamic (our functions in .dynsym), then stripped. */
        STRIPPED_RDYNAMIC,
        /** STRIPPED plus a .gnu_debugdata section made the way Fedora makes MiniDebugInfo. */
        MINI_DEBUG_INFO
    }

    /** One function symbol as llvm-nm lists it. */
    record NmSymbol(String name, long address, long size, char type) {
    }

    private static final Path DIR = Path.of("target", "test-programs").toAbsolutePath();
    private static final Map<Variant, Path> BUILT = new ConcurrentHashMap<>();

    private TestPrograms() {
    }

    static synchronized Path build(Variant variant) throws Exception {
        Path built = BUILT.get(variant);
        if (built != null) {
            return built;
        }
        requireTool("gcc");
        Files.createDirectories(DIR);
        Path source = DIR.resolve("symbolizer_target.c");
        try (InputStream in = TestPrograms.class.getResourceAsStream("/programs/symbolizer_target.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path out = DIR.resolve("target-" + variant.name().toLowerCase().replace('_', '-'));
        if (variant == Variant.STRIPPED || variant == Variant.STRIPPED_RDYNAMIC) {
            requireTool("strip");
            run(List.of("cp", reference(variant).toString(), out.toString()));
            run(List.of("strip", "-s", out.toString()));
        } else if (variant == Variant.PIE || variant == Variant.NO_PIE) {
            compile(source, out, variant == Variant.PIE ? List.of("-fPIE", "-pie") : List.of("-fno-pie", "-no-pie"));
        } else if (variant == Variant.MINI_DEBUG_INFO) {
            requireTool("objcopy");
            requireTool("xz");
            // Fedora's find-debuginfo: keep the function symbols .dynsym lacks, in an xz'd ELF in .gnu_debugdata.
            Path full = reference(variant);
            Path debug = DIR.resolve("mini.debug");
            Path mini = DIR.resolve("mini");
            Path keep = DIR.resolve("mini.keep");
            Files.write(keep, functions(full, false).stream().map(NmSymbol::name).distinct().toList());
            run(List.of("objcopy", "--only-keep-debug", full.toString(), debug.toString()));
            run(List.of("objcopy", "-S", "--remove-section", ".gdb_index", "--remove-section", ".comment",
                    "--keep-symbols=" + keep, debug.toString(), mini.toString()));
            Files.deleteIfExists(Path.of(mini + ".xz"));
            run(List.of("xz", "-k", mini.toString()));
            run(List.of("cp", full.toString(), out.toString()));
            run(List.of("strip", "--strip-all", "-R", ".comment", out.toString()));
            run(List.of("objcopy", "--add-section", ".gnu_debugdata=" + mini + ".xz", out.toString()));
        }
        BUILT.put(variant, out);
        return out;
    }

    /** The unstripped build {@code variant} was made from: what llvm-nm is asked about its functions. */
    static synchronized Path reference(Variant variant) throws Exception {
        return switch (variant) {
            case STRIPPED, MINI_DEBUG_INFO -> build(Variant.PIE);
            case STRIPPED_RDYNAMIC -> {
                Path full = DIR.resolve("target-rdynamic-full");
                if (!Files.exists(full)) {
                    compile(DIR.resolve("symbolizer_target.c"), full, List.of("-fPIE", "-pie", "-rdynamic"));
                }
                yield full;
            }
            default -> build(variant);
        };
    }

    private static void compile(Path source, Path out, List<String> flags) throws Exception {
        List<String> cc = new ArrayList<>(List.of("gcc", "-O1", "-fno-inline", "-g0", "-o", out.toString(), source.toString()));
        cc.addAll(flags);
        run(cc);
    }

    /** Function symbols (T, t, W, w) of {@code file}'s .symtab, or of .dynsym when {@code dynamic}. */
    static List<NmSymbol> functions(Path file, boolean dynamic) throws Exception {
        requireTool("llvm-nm-19");
        List<String> cmd = new ArrayList<>(List.of("llvm-nm-19", "--defined-only", "--print-size", "--format=bsd"));
        if (dynamic) {
            cmd.add("-D");
        }
        cmd.add(file.toString());
        List<NmSymbol> out = new ArrayList<>();
        for (String line : run(cmd).split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "0000000000001139 0000000000000015 T leaf_sum"; symbols without a size have three fields.
            if (f.length != 4 || "TtWwi".indexOf(f[2].charAt(0)) < 0) {
                continue;
            }
            int at = f[3].indexOf('@');
            out.add(new NmSymbol(at > 0 ? f[3].substring(0, at) : f[3], Long.parseUnsignedLong(f[0], 16),
                    Long.parseUnsignedLong(f[1], 16), f[2].charAt(0)));
        }
        return out;
    }

    /** The GNU build ID as llvm-readelf prints it, or null. */
    static String buildId(Path file) throws Exception {
        requireTool("llvm-readelf-19");
        return Arrays.stream(run(List.of("llvm-readelf-19", "-n", file.toString())).split("\n"))
                .map(String::trim).filter(l -> l.startsWith("Build ID:")).map(l -> l.substring(9).trim())
                .findFirst().orElse(null);
    }

    static void requireTool(String tool) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!found) {
            System.out.println("SKIPPED: " + tool + " is not installed");
        }
        assumeTrue(found, tool + " is not installed");
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(true, done, () -> "timed out: " + command);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    static String describe(List<NmSymbol> symbols) {
        return symbols.stream().map(NmSymbol::name).collect(Collectors.joining(", "));
    }
}

package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects the function symbols of one ELF file from everywhere they may be: .symtab, .dynsym, the MiniDebugInfo
 * in .gnu_debugdata, and — for a file without .symtab — the separate debug file named by its build ID under the
 * debug directory ({@code /usr/lib/debug/.build-id/xx/rest.debug}, what Debian's -dbgsym and Fedora's
 * -debuginfo packages install). Each extra source is followed at most once and never recursively, so a hostile
 * file cannot make the loader loop.
 */
final class ModuleLoader {
    private final Path debugDirectory;
    private final ElfLimits limits;

    ModuleLoader(Path debugDirectory, ElfLimits limits) {
        this.debugDirectory = debugDirectory;
        this.limits = limits;
    }

    /** Loads the file behind {@code reader}, whose build ID is {@code buildId} (or null). */
    ModuleSymbols load(ElfReader reader, String buildId) throws IOException, ElfFormatException {
        FunctionTable.Builder functions = new FunctionTable.Builder();
        List<String> problems = new ArrayList<>();
        Optional<ElfSection> symtab = reader.sectionOfType(ElfSection.SHT_SYMTAB);
        if (symtab.isPresent()) {
            reader.addFunctions(symtab.get(), functions, limits);
        }
        Optional<ElfSection> dynsym = reader.sectionOfType(ElfSection.SHT_DYNSYM);
        if (dynsym.isPresent()) {
            reader.addFunctions(dynsym.get(), functions, limits);
        }
        Optional<ElfSection> debugData = reader.section(MiniDebugInfo.SECTION);
        if (debugData.isPresent()) {
            try {
                addMiniDebugInfo(reader, debugData.get(), functions);
            } catch (ElfFormatException e) {
                problems.add("MiniDebugInfo unusable: " + e.getMessage());
            }
        }
        if (symtab.isEmpty() && buildId != null) {
            try {
                addDebugFile(buildId, functions).ifPresent(problems::add);
            } catch (ElfFormatException | IOException e) {
                problems.add("debug file unusable: " + e.getMessage());
            }
        }
        if (functions.size() == 0) {
            problems.add("no function symbols (stripped; no .gnu_debugdata" + (buildId == null ? ", no build ID)"
                    : ", no debug file " + debugFile(buildId) + ")"));
        }
        return new ModuleSymbols(buildId, reader.loadSegments(), functions.build(),
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private void addMiniDebugInfo(ElfReader reader, ElfSection section, FunctionTable.Builder functions)
            throws IOException, ElfFormatException {
        byte[] xz = ElfReader.readBounded(reader.bytes(), MiniDebugInfo.SECTION, section.offset(), section.size(),
                limits.compressedDebugData());
        ElfReader inner = ElfReader.read(ElfBytes.of(MiniDebugInfo.decompress(xz, limits.decompressedDebugData())));
        Optional<ElfSection> symtab = inner.sectionOfType(ElfSection.SHT_SYMTAB);
        if (symtab.isPresent()) {
            inner.addFunctions(symtab.get(), functions, limits);
        }
    }

    /** Adds the debug file's .symtab; returns a problem when the file is there but does not belong. */
    private Optional<String> addDebugFile(String buildId, FunctionTable.Builder functions)
            throws IOException, ElfFormatException {
        Path file = debugFile(buildId);
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        // The .build-id entries are symlinks into the debug tree by design; the directory is root's (a
        // configured, trusted place), and the build ID inside is checked below.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > limits.debugFileBytes()) {
                return Optional.of("debug file " + file + " over " + limits.debugFileBytes() + " bytes");
            }
            ElfReader debug = ElfReader.read(ElfBytes.of(channel));
            String id = debug.buildId();
            if (!buildId.equals(id)) {
                return Optional.of("debug file " + file + " has build ID " + id);
            }
            Optional<ElfSection> symtab = debug.sectionOfType(ElfSection.SHT_SYMTAB);
            if (symtab.isPresent()) {
                debug.addFunctions(symtab.get(), functions, limits);
            }
            return Optional.empty();
        }
    }

    private Path debugFile(String buildId) {
        if (buildId.length() < 4 || !buildId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        return debugDirectory.resolve(".build-id").resolve(buildId.substring(0, 2)).resolve(buildId.substring(2) + ".debug");
    }
}

package io.mapsnap.symbolizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * Names kernel addresses from /proc/kallsyms, loaded on first use. Modules and BPF programs come and go, so a
 * lookup that misses outside the core kernel text reloads kallsyms — at most once per {@code refreshInterval}, since
 * a reload parses a few hundred thousand lines.
 */
final class KernelSymbolizer {
    private static final int MAX_BYTES = 256 << 20;
    private static final int MAX_LINES = 8_000_000;

    private record Loaded(KernelSymbols symbols, long loadedAtNanos) {
    }

    private final Path kallsyms;
    private final Path modules;
    private final long refreshNanos;
    private final LongSupplier nanoClock;
    private final ProblemLog problems;
    private final Object loading = new Object();
    private volatile Loaded current;

    KernelSymbolizer(Path kallsyms, Path modules, Duration refreshInterval, LongSupplier nanoClock, ProblemLog problems) {
        this.kallsyms = kallsyms;
        this.modules = modules;
        this.refreshNanos = refreshInterval.toNanos();
        this.nanoClock = nanoClock;
        this.problems = problems;
    }

    List<Frame> symbolize(long[] addresses) {
        List<Frame> frames = new ArrayList<>(addresses.length);
        for (long address : addresses) {
            frames.add(symbolize(address));
        }
        return frames;
    }

    private Frame symbolize(long address) {
        Loaded loaded = load(null);
        if (loaded == null) {
            return unresolved(address);
        }
        KernelSymbols.KernelHit hit = loaded.symbols().lookup(address);
        if (hit == null && loaded.symbols().outsideCore(address)) {
            Loaded fresher = load(loaded);
            hit = fresher == null ? null : fresher.symbols().lookup(address);
        }
        return hit == null ? unresolved(address)
                : new Frame(FrameKind.KERNEL, address, hit.function(), hit.offset(), hit.module(), address, null);
    }

    private static Frame unresolved(long address) {
        return Frame.unresolved(FrameKind.KERNEL, address, KernelSymbols.CORE, address, null);
    }

    /** The loaded symbols, reloading when {@code stale} is still current and old enough; null when unreadable. */
    private Loaded load(Loaded stale) {
        Loaded seen = current;
        if (seen != null && (stale == null || seen != stale || nanoClock.getAsLong() - seen.loadedAtNanos() < refreshNanos)) {
            return seen;
        }
        synchronized (loading) {
            seen = current;
            if (seen != null && (stale == null || seen != stale || nanoClock.getAsLong() - seen.loadedAtNanos() < refreshNanos)) {
                return seen;
            }
            try {
                KernelSymbols symbols = KernelSymbols.parse(read(kallsyms), Files.exists(modules) ? read(modules) : new byte[0],
                        MAX_LINES);
                if (symbols.hidden()) {
                    problems.once(kallsyms.toString(), "every address is 0 (kptr_restrict; needs CAP_SYSLOG): kernel frames stay unresolved");
                }
                current = new Loaded(symbols, nanoClock.getAsLong());
            } catch (IOException | RuntimeException e) {
                problems.once(kallsyms.toString(), "unreadable: " + e);
                // Keep what we had; try again no sooner than the refresh interval.
                current = seen == null ? new Loaded(KernelSymbols.parse(new byte[0], new byte[0], 0), nanoClock.getAsLong())
                        : new Loaded(seen.symbols(), nanoClock.getAsLong());
            }
            return current;
        }
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] text = in.readNBytes(MAX_BYTES + 1);
            if (text.length > MAX_BYTES) {
                throw new IOException(file + " is over " + MAX_BYTES + " bytes");
            }
            return text;
        }
    }
}

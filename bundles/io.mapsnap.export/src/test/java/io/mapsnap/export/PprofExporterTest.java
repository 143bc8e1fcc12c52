package io.mapsnap.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

class PprofExporterTest {
    private final PprofExporter exporter = new PprofExporter();

    static byte[] export(Profile profile) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PprofExporter().export(profile, out);
        return out.toByteArray();
    }

    @Test
    void namesItsFormat() {
        assertEquals("pprof", exporter.format());
        assertEquals(".pb.gz", exporter.extension());
    }

    @Test
    void isGzippedProfileProtoWithTheEmptyStringFirst() throws IOException {
        byte[] file = export(TestProfiles.twoProcesses());
        assertEquals(0x1f, file[0] & 0xff, "gzip magic");
        assertEquals(0x8b, file[1] & 0xff, "gzip magic");
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(file));
        assertEquals("", pprof.strings().get(0));
        assertEquals(pprof.strings().size(), Set.copyOf(pprof.strings()).size(), "each string once");
    }

    @Test
    void headerDescribesCpuSamplesAndTheirPeriod() throws IOException {
        Profile profile = TestProfiles.twoProcesses();
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        assertEquals(List.of("samples/count", "cpu/nanoseconds"),
                pprof.sampleTypes().stream().map(t -> pprof.string(t.type()) + "/" + pprof.string(t.unit())).toList());
        assertEquals("cpu/nanoseconds",
                pprof.string(pprof.periodType().type()) + "/" + pprof.string(pprof.periodType().unit()));
        assertEquals(1_000_000_000L / 99, pprof.period());
        assertEquals(profile.metadata().periodNanos(), pprof.period());
        assertEquals(TestProfiles.START.getEpochSecond() * 1_000_000_000L + 123_456_789, pprof.timeNanos());
        assertEquals(10_250_000_000L, pprof.durationNanos());
        assertEquals("cpu", pprof.string(pprof.defaultSampleType()));
        List<String> comments = pprof.comments().stream().map(pprof::string).toList();
        assertTrue(comments.contains("collector: kfunc"), comments.toString());
        assertTrue(comments.contains("kernel: 6.18.44-test"), comments.toString());
        assertTrue(comments.contains("lost samples: 4"), comments.toString());
    }

    @Test
    void everySampleHasItsStackLeafFirstItsValuesAndItsProcess() throws IOException {
        Profile profile = TestProfiles.twoProcesses();
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        assertEquals(profile.stacks().size(), pprof.samples().size());
        long period = profile.metadata().periodNanos();
        for (int i = 0; i < profile.stacks().size(); i++) {
            ProfileStack stack = profile.stacks().get(i);
            DecodedPprof.Sample sample = pprof.samples().get(i);
            List<String> leafFirst = new ArrayList<>(stack.frames().stream().map(Frame::label).toList());
            java.util.Collections.reverse(leafFirst);
            assertEquals(leafFirst, pprof.names(sample));
            assertEquals(List.of(stack.count(), stack.count() * period), sample.values());
            DecodedPprof.Label pid = pprof.label(sample, "pid");
            assertNotNull(pid, "pid label");
            assertEquals(stack.tgid(), pid.num());
            assertEquals(0, pid.str(), "pid is a number label");
            DecodedPprof.Label comm = pprof.label(sample, "comm");
            assertNotNull(comm, "comm label");
            assertEquals(stack.comm(), pprof.string(comm.str()));
        }
    }

    @Test
    void locationsAreModuleOffsetsInMappingsWithFileAndBuildId() throws IOException {
        Profile profile = TestProfiles.twoProcesses();
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        for (int i = 0; i < profile.stacks().size(); i++) {
            List<Frame> frames = profile.stacks().get(i).frames();
            List<Long> locationIds = pprof.samples().get(i).locationIds();
            for (int f = 0; f < frames.size(); f++) {
                Frame frame = frames.get(f);
                DecodedPprof.Location location = pprof.locations().get(locationIds.get(frames.size() - 1 - f));
                if (frame.module() == null) {
                    assertEquals(0, location.mappingId(), "no mapping for " + frame);
                    assertEquals(frame.address(), location.address());
                    continue;
                }
                DecodedPprof.Mapping mapping = pprof.mappings().get(location.mappingId());
                assertNotNull(mapping, "mapping of " + frame);
                assertEquals(frame.moduleOffset(), location.address(), frame.toString());
                assertEquals(0, mapping.memoryStart());
                assertEquals(0, mapping.fileOffset());
                assertTrue(Long.compareUnsigned(location.address(), mapping.memoryLimit()) < 0,
                        "address inside its mapping: " + frame);
                assertTrue(mapping.hasFunctions());
                String filename = frame.kind() == FrameKind.KERNEL ? "[kernel]" : frame.module();
                assertEquals(filename, pprof.string(mapping.filename()));
                assertEquals(frame.buildId() == null ? "" : frame.buildId(), pprof.string(mapping.buildId()));
            }
        }
        Set<String> filenames = pprof.mappings().values().stream().map(m -> pprof.string(m.filename()))
                .collect(Collectors.toSet());
        assertEquals(Set.of(TestProfiles.APP, TestProfiles.LIBC, TestProfiles.PERF_MAP, "[kernel]"), filenames);
        assertEquals(4, pprof.mappings().size(), "one mapping per (module, build ID)");
    }

    @Test
    void oneFunctionPerNameAndModuleAndOneLocationPerAddress() throws IOException {
        Profile profile = TestProfiles.twoProcesses();
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        Set<Frame> distinctFrames = new HashSet<>();
        profile.stacks().forEach(s -> distinctFrames.addAll(s.frames()));
        assertEquals(distinctFrames.size(), pprof.locations().size());
        assertEquals(distinctFrames.size(), pprof.functions().size());
        Set<String> names = pprof.functions().values().stream().map(f -> pprof.string(f.name()))
                .collect(Collectors.toSet());
        assertTrue(names.contains("__memcpy_avx_unaligned_erms"));
        assertTrue(names.contains(TestProfiles.LIBC + "+0x29d90"), "an unresolved frame is named by its label");
        assertTrue(names.contains("0xdeadbeef"), "an address in no mapping is named by itself");
        for (DecodedPprof.Function f : pprof.functions().values()) {
            assertNotEquals(0, f.id());
            assertEquals(f.name(), f.systemName());
        }
    }

    @Test
    void kernelModulesGetTheirOwnBracketedMapping() throws IOException {
        Frame xfs = new Frame(FrameKind.KERNEL, 0xffffffffc0a01234L, "xfs_file_write_iter", 4, "xfs",
                0xffffffffc0a01234L, null);
        Frame core = new Frame(FrameKind.KERNEL, 0xffffffff81000000L, "do_syscall_64", 4, null, 0xffffffff81000000L,
                null);
        Profile profile = new Profile(TestProfiles.metadata(1, 0),
                List.of(new ProfileStack(1, "k", List.of(core, xfs), 1)));
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        Set<String> filenames = pprof.mappings().values().stream().map(m -> pprof.string(m.filename()))
                .collect(Collectors.toSet());
        assertEquals(Set.of("[kernel]", "[xfs]"), filenames);
        // Kernel addresses are above 2^63: the limit is compared unsigned.
        for (DecodedPprof.Location location : pprof.locations().values()) {
            DecodedPprof.Mapping mapping = pprof.mappings().get(location.mappingId());
            assertTrue(Long.compareUnsigned(location.address(), mapping.memoryLimit()) < 0);
        }
    }

    @Test
    void anEmptyProcessNameStaysALabel() throws IOException {
        Profile profile = new Profile(TestProfiles.metadata(1, 0),
                List.of(new ProfileStack(7, "", List.of(TestProfiles.MAIN), 1)));
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(profile)));
        DecodedPprof.Label comm = pprof.label(pprof.samples().get(0), "comm");
        assertNotEquals(0, comm.str(), "index 0 would read as no label at all");
        assertEquals("[unknown]", pprof.string(comm.str()));
    }

    @Test
    void anEmptyProfileIsValid() throws IOException {
        DecodedPprof pprof = DecodedPprof.read(new ByteArrayInputStream(export(TestProfiles.empty())));
        assertTrue(pprof.samples().isEmpty());
        assertTrue(pprof.locations().isEmpty());
        assertEquals("", pprof.strings().get(0));
        assertEquals(2, pprof.sampleTypes().size());
    }

    @Test
    void leavesTheCallersStreamOpen() throws IOException {
        boolean[] closed = { false };
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        exporter.export(TestProfiles.twoProcesses(), out);
        assertFalse(closed[0]);
        assertTrue(out.size() > 20);
    }
}

package io.mapsnap.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * A pprof file decoded from the wire with protobuf-java's {@link CodedInputStream}, independently of the writer:
 * field numbers restated from github.com/google/pprof/proto/profile.proto, packed and unpacked repeated scalars both
 * accepted, unknown fields skipped.
 */
record DecodedPprof(List<ValueType> sampleTypes, List<Sample> samples, Map<Long, Mapping> mappings,
        Map<Long, Location> locations, Map<Long, Function> functions, List<String> strings, long timeNanos,
        long durationNanos, ValueType periodType, long period, List<Long> comments, long defaultSampleType) {

    record ValueType(long type, long unit) {
    }

    record Label(long key, long str, long num) {
    }

    record Sample(List<Long> locationIds, List<Long> values, List<Label> labels) {
    }

    record Mapping(long id, long memoryStart, long memoryLimit, long fileOffset, long filename, long buildId,
            boolean hasFunctions) {
    }

    record Location(long id, long mappingId, long address, List<Long> functionIds) {
    }

    record Function(long id, long name, long systemName) {
    }

    static DecodedPprof read(InputStream gzipped) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(new GZIPInputStream(gzipped).readAllBytes());
        List<ValueType> sampleTypes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        Map<Long, Mapping> mappings = new HashMap<>();
        Map<Long, Location> locations = new HashMap<>();
        Map<Long, Function> functions = new HashMap<>();
        List<String> strings = new ArrayList<>();
        List<Long> comments = new ArrayList<>();
        long timeNanos = 0, durationNanos = 0, period = 0, defaultSampleType = 0;
        ValueType periodType = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> sampleTypes.add(valueType(in.readBytes().newCodedInput()));
                case 2 -> samples.add(sample(in.readBytes().newCodedInput()));
                case 3 -> {
                    Mapping m = mapping(in.readBytes().newCodedInput());
                    if (mappings.put(m.id(), m) != null) {
                        throw new IOException("duplicate mapping id " + m.id());
                    }
                }
                case 4 -> {
                    Location l = location(in.readBytes().newCodedInput());
                    if (locations.put(l.id(), l) != null) {
                        throw new IOException("duplicate location id " + l.id());
                    }
                }
                case 5 -> {
                    Function f = function(in.readBytes().newCodedInput());
                    if (functions.put(f.id(), f) != null) {
                        throw new IOException("duplicate function id " + f.id());
                    }
                }
                case 6 -> strings.add(in.readStringRequireUtf8());
                case 9 -> timeNanos = in.readInt64();
                case 10 -> durationNanos = in.readInt64();
                case 11 -> periodType = valueType(in.readBytes().newCodedInput());
                case 12 -> period = in.readInt64();
                case 13 -> repeatedInt64(in, tag, comments);
                case 14 -> defaultSampleType = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new DecodedPprof(sampleTypes, samples, mappings, locations, functions, strings, timeNanos,
                durationNanos, periodType, period, comments, defaultSampleType);
    }

    private static ValueType valueType(CodedInputStream in) throws IOException {
        long type = 0, unit = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = in.readInt64();
                case 2 -> unit = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new ValueType(type, unit);
    }

    private static Sample sample(CodedInputStream in) throws IOException {
        List<Long> locationIds = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> repeatedInt64(in, tag, locationIds); // uint64 and int64 share the varint encoding
                case 2 -> repeatedInt64(in, tag, values);
                case 3 -> labels.add(label(in.readBytes().newCodedInput()));
                default -> in.skipField(tag);
            }
        }
        return new Sample(locationIds, values, labels);
    }

    private static Label label(CodedInputStream in) throws IOException {
        long key = 0, str = 0, num = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readInt64();
                case 2 -> str = in.readInt64();
                case 3 -> num = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new Label(key, str, num);
    }

    private static Mapping mapping(CodedInputStream in) throws IOException {
        long id = 0, start = 0, limit = 0, offset = 0, filename = 0, buildId = 0;
        boolean hasFunctions = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = in.readUInt64();
                case 2 -> start = in.readUInt64();
                case 3 -> limit = in.readUInt64();
                case 4 -> offset = in.readUInt64();
                case 5 -> filename = in.readInt64();
                case 6 -> buildId = in.readInt64();
                case 7 -> hasFunctions = in.readBool();
                default -> in.skipField(tag);
            }
        }
        return new Mapping(id, start, limit, offset, filename, buildId, hasFunctions);
    }

    private static Location location(CodedInputStream in) throws IOException {
        long id = 0, mappingId = 0, address = 0;
        List<Long> functionIds = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = in.readUInt64();
                case 2 -> mappingId = in.readUInt64();
                case 3 -> address = in.readUInt64();
                case 4 -> functionIds.add(lineFunctionId(in.readBytes().newCodedInput()));
                default -> in.skipField(tag);
            }
        }
        return new Location(id, mappingId, address, functionIds);
    }

    private static long lineFunctionId(CodedInputStream in) throws IOException {
        long functionId = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                functionId = in.readUInt64();
            } else {
                in.skipField(tag);
            }
        }
        return functionId;
    }

    private static Function function(CodedInputStream in) throws IOException {
        long id = 0, name = 0, systemName = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = in.readUInt64();
                case 2 -> name = in.readInt64();
                case 3 -> systemName = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new Function(id, name, systemName);
    }

    private static void repeatedInt64(CodedInputStream in, int tag, List<Long> into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readInt64());
            }
            in.popLimit(limit);
        } else {
            into.add(in.readInt64());
        }
    }

    String string(long index) {
        return strings.get(Math.toIntExact(index));
    }

    /** The function names of a sample's locations, leaf first, as pprof reads them. */
    List<String> names(Sample sample) {
        List<String> names = new ArrayList<>();
        for (long id : sample.locationIds()) {
            Location location = locations.get(id);
            if (location == null) {
                throw new IllegalStateException("sample refers to missing location " + id);
            }
            for (long functionId : location.functionIds()) {
                names.add(string(functions.get(functionId).name()));
            }
        }
        return names;
    }

    /** The label of {@code sample} named {@code key}, or null. */
    Label label(Sample sample, String key) {
        return sample.labels().stream().filter(l -> string(l.key()).equals(key)).findFirst().orElse(null);
    }
}

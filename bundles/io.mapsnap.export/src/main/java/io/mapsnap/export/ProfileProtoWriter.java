package io.mapsnap.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * Writes pprof's {@code perftools.profiles.Profile} message field by field with protobuf-java's
 * {@link CodedOutputStream}. Field numbers are those of github.com/google/pprof/proto/profile.proto; the constants
 * below carry the message and field names as written there. Proto3 defaults (0, "", false) are left out, and
 * repeated scalars are packed, as protoc-generated code writes them.
 */
final class ProfileProtoWriter {
    // message Profile
    private static final int PROFILE_SAMPLE_TYPE = 1; // repeated ValueType
    private static final int PROFILE_SAMPLE = 2; // repeated Sample
    private static final int PROFILE_MAPPING = 3; // repeated Mapping
    private static final int PROFILE_LOCATION = 4; // repeated Location
    private static final int PROFILE_FUNCTION = 5; // repeated Function
    private static final int PROFILE_STRING_TABLE = 6; // repeated string
    private static final int PROFILE_TIME_NANOS = 9; // int64
    private static final int PROFILE_DURATION_NANOS = 10; // int64
    private static final int PROFILE_PERIOD_TYPE = 11; // ValueType
    private static final int PROFILE_PERIOD = 12; // int64
    private static final int PROFILE_COMMENT = 13; // repeated int64, string table indexes
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14; // int64, string table index
    // message ValueType
    private static final int VALUE_TYPE_TYPE = 1; // int64, string table index
    private static final int VALUE_TYPE_UNIT = 2; // int64, string table index
    // message Sample
    private static final int SAMPLE_LOCATION_ID = 1; // repeated uint64, leaf first
    private static final int SAMPLE_VALUE = 2; // repeated int64, one per sample_type
    private static final int SAMPLE_LABEL = 3; // repeated Label
    // message Label
    private static final int LABEL_KEY = 1; // int64, string table index
    private static final int LABEL_STR = 2; // int64, string table index
    private static final int LABEL_NUM = 3; // int64
    // message Mapping
    private static final int MAPPING_ID = 1; // uint64
    private static final int MAPPING_MEMORY_START = 2; // uint64
    private static final int MAPPING_MEMORY_LIMIT = 3; // uint64
    private static final int MAPPING_FILE_OFFSET = 4; // uint64
    private static final int MAPPING_FILENAME = 5; // int64, string table index
    private static final int MAPPING_BUILD_ID = 6; // int64, string table index
    private static final int MAPPING_HAS_FUNCTIONS = 7; // bool
    // message Location
    private static final int LOCATION_ID = 1; // uint64
    private static final int LOCATION_MAPPING_ID = 2; // uint64
    private static final int LOCATION_ADDRESS = 3; // uint64
    private static final int LOCATION_LINE = 4; // repeated Line
    // message Line
    private static final int LINE_FUNCTION_ID = 1; // uint64
    // message Function
    private static final int FUNCTION_ID = 1; // uint64
    private static final int FUNCTION_NAME = 2; // int64, string table index
    private static final int FUNCTION_SYSTEM_NAME = 3; // int64, string table index

    /** A ValueType as two string table indexes. */
    record ValueType(long type, long unit) {
    }

    /** A Sample: label values are string table indexes ({@code str}) or numbers ({@code num}). */
    record Sample(long[] locationIdsLeafFirst, long[] values, List<Label> labels) {
    }

    /** A Label with either a string ({@code str}, a string table index) or a number. */
    record Label(long key, long str, long num) {
    }

    /** Everything of the Profile message we write. */
    record Header(List<ValueType> sampleTypes, long timeNanos, long durationNanos, ValueType periodType,
            long period, List<Long> comments, long defaultSampleType) {
    }

    private ProfileProtoWriter() {
    }

    static void write(Header header, List<Sample> samples, PprofTables tables, OutputStream out) throws IOException {
        CodedOutputStream profile = CodedOutputStream.newInstance(out);
        for (ValueType type : header.sampleTypes()) {
            profile.writeByteArray(PROFILE_SAMPLE_TYPE, valueType(type));
        }
        for (Sample sample : samples) {
            profile.writeByteArray(PROFILE_SAMPLE, message(m -> {
                packedUInt64(m, SAMPLE_LOCATION_ID, sample.locationIdsLeafFirst());
                packedInt64(m, SAMPLE_VALUE, sample.values());
                for (Label label : sample.labels()) {
                    m.writeByteArray(SAMPLE_LABEL, message(l -> {
                        int64(l, LABEL_KEY, label.key());
                        int64(l, LABEL_STR, label.str());
                        int64(l, LABEL_NUM, label.num());
                    }));
                }
            }));
        }
        for (PprofMapping mapping : tables.mappings()) {
            profile.writeByteArray(PROFILE_MAPPING, message(m -> {
                uint64(m, MAPPING_ID, mapping.id());
                uint64(m, MAPPING_MEMORY_START, 0); // normalized addresses: see PprofTables
                uint64(m, MAPPING_MEMORY_LIMIT, mapping.limit());
                uint64(m, MAPPING_FILE_OFFSET, 0);
                int64(m, MAPPING_FILENAME, mapping.filename());
                int64(m, MAPPING_BUILD_ID, mapping.buildId());
                m.writeBool(MAPPING_HAS_FUNCTIONS, true);
            }));
        }
        for (PprofLocation location : tables.locations()) {
            profile.writeByteArray(PROFILE_LOCATION, message(m -> {
                uint64(m, LOCATION_ID, location.id());
                uint64(m, LOCATION_MAPPING_ID, location.mappingId());
                uint64(m, LOCATION_ADDRESS, location.address());
                m.writeByteArray(LOCATION_LINE, message(l -> uint64(l, LINE_FUNCTION_ID, location.functionId())));
            }));
        }
        for (PprofFunction function : tables.functions()) {
            profile.writeByteArray(PROFILE_FUNCTION, message(m -> {
                uint64(m, FUNCTION_ID, function.id());
                int64(m, FUNCTION_NAME, function.name());
                int64(m, FUNCTION_SYSTEM_NAME, function.name());
            }));
        }
        // Every index must be taken before the table is written: header strings were interned by the caller.
        for (String s : tables.strings().strings()) {
            profile.writeString(PROFILE_STRING_TABLE, s);
        }
        int64(profile, PROFILE_TIME_NANOS, header.timeNanos());
        int64(profile, PROFILE_DURATION_NANOS, header.durationNanos());
        profile.writeByteArray(PROFILE_PERIOD_TYPE, valueType(header.periodType()));
        int64(profile, PROFILE_PERIOD, header.period());
        packedInt64(profile, PROFILE_COMMENT, header.comments().stream().mapToLong(Long::longValue).toArray());
        int64(profile, PROFILE_DEFAULT_SAMPLE_TYPE, header.defaultSampleType());
        profile.flush();
    }

    private static byte[] valueType(ValueType type) throws IOException {
        return message(m -> {
            int64(m, VALUE_TYPE_TYPE, type.type());
            int64(m, VALUE_TYPE_UNIT, type.unit());
        });
    }

    private interface Fields {
        void write(CodedOutputStream message) throws IOException;
    }

    /** A nested message's bytes: its length must precede it on the wire. */
    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        CodedOutputStream message = CodedOutputStream.newInstance(bytes, 64);
        fields.write(message);
        message.flush();
        return bytes.toByteArray();
    }

    private static void int64(CodedOutputStream out, int field, long value) throws IOException {
        if (value != 0) {
            out.writeInt64(field, value);
        }
    }

    private static void uint64(CodedOutputStream out, int field, long value) throws IOException {
        if (value != 0) {
            out.writeUInt64(field, value);
        }
    }

    private static void packedUInt64(CodedOutputStream out, int field, long[] values) throws IOException {
        if (values.length == 0) {
            return;
        }
        int size = 0;
        for (long v : values) {
            size += CodedOutputStream.computeUInt64SizeNoTag(v);
        }
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        for (long v : values) {
            out.writeUInt64NoTag(v);
        }
    }

    private static void packedInt64(CodedOutputStream out, int field, long[] values) throws IOException {
        if (values.length == 0) {
            return;
        }
        int size = 0;
        for (long v : values) {
            size += CodedOutputStream.computeInt64SizeNoTag(v);
        }
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        for (long v : values) {
            out.writeInt64NoTag(v);
        }
    }
}

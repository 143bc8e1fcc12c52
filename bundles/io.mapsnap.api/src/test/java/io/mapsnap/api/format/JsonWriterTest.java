package io.mapsnap.api.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedObjectsAndArrays() {
        String json = new JsonWriter().beginObject()
                .field("a", "x")
                .field("b", true)
                .field("c", 42L)
                .field("d", (Long) null)
                .beginArray("e")
                .beginObject().field("k", "1").endObject()
                .beginObject().field("k", "2").endObject()
                .endArray()
                .endObject().toString();
        assertEquals("{\"a\":\"x\",\"b\":true,\"c\":42,\"d\":null,\"e\":[{\"k\":\"1\"},{\"k\":\"2\"}]}", json);
    }

    @Test
    void escapesEverythingRfc8259Requires() {
        String json = new JsonWriter().beginObject().field("s", "q\"b\\n\nt\tc\u0001").endObject().toString();
        assertEquals("{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\"}", json);
    }
}

package io.mapsnap.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

class FlameGraphSvgExporterTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Set<String> OUR_ELEMENTS = Set.of("svg", "style", "script", "rect", "text", "g", "title");

    private final FlameGraphSvgExporter exporter = new FlameGraphSvgExporter();

    /** One drawn box as the document has it. */
    private record Box(String name, long count, String kind, int depth, double x, double y, double width,
            String text) {
    }

    private byte[] export(Profile profile) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.export(profile, out);
        return out.toByteArray();
    }

    /** A parser that reads no DTD and resolves no entity: the document must stand on its own. */
    static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new ByteArrayInputStream(svg));
    }

    private static List<Box> boxes(Document document) {
        List<Box> boxes = new ArrayList<>();
        NodeList groups = document.getElementsByTagNameNS(SVG_NS, "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            String[] classes = g.getAttribute("class").split(" ");
            if (!classes[0].equals("f")) {
                continue;
            }
            String title = child(g, "title").getTextContent();
            int open = title.lastIndexOf(" (");
            String counted = title.substring(open + 2, title.indexOf(' ', open + 2));
            Element rect = child(g, "rect");
            boxes.add(new Box(title.substring(0, open), Long.parseLong(counted), classes[1],
                    Integer.parseInt(g.getAttribute("data-d")), Double.parseDouble(rect.getAttribute("x")),
                    Double.parseDouble(rect.getAttribute("y")), Double.parseDouble(rect.getAttribute("width")),
                    child(g, "text").getTextContent()));
        }
        return boxes;
    }

    private static Element child(Element parent, String name) {
        NodeList list = parent.getElementsByTagNameNS(SVG_NS, name);
        assertEquals(1, list.getLength(), name + " in " + parent.getAttribute("class"));
        return (Element) list.item(0);
    }

    private static Box box(List<Box> boxes, String name) {
        return boxes.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no box named " + name + " in " + boxes));
    }

    @Test
    void namesItsFormat() {
        assertEquals("svg", exporter.format());
        assertEquals(".svg", exporter.extension());
    }

    @Test
    void boxesAreAsWideAsTheirSamplesWithTheRootAtTheBottom() throws Exception {
        Profile profile = TestProfiles.twoProcesses();
        List<Box> boxes = boxes(parse(export(profile)));
        double pxPerSample = FlameGraphSvg.GRAPH_WIDTH / profile.totalSamples();
        assertEquals(18, box(boxes, "all").count());
        assertEquals(15, box(boxes, "app").count());
        assertEquals(7, box(boxes, "__memcpy_avx_unaligned_erms").count());
        assertEquals(10, box(boxes, "compute").count());
        assertEquals(2, box(boxes, "LFoo;::bar").count());
        for (Box box : boxes) {
            assertEquals(box.count() * pxPerSample, box.width(), 0.006, box.toString());
        }
        assertEquals(FlameGraphSvg.GRAPH_WIDTH, box(boxes, "all").width(), 0.006);
        assertEquals(7.0 / 3.0, box(boxes, "__memcpy_avx_unaligned_erms").width()
                / box(boxes, TestProfiles.LIBC + "+0x29d90").width(), 0.001);
        // Root at the bottom: deeper boxes are higher up (smaller y), one row each.
        Box all = box(boxes, "all");
        Box vfsWrite = box(boxes, "vfs_write");
        assertEquals(0, all.depth());
        assertEquals(7, vfsWrite.depth(), "all, app, _start, main, write, entry, ksys_write, vfs_write");
        assertEquals(all.y() - 7 * FlameGraphSvg.FRAME_HEIGHT, vfsWrite.y(), 0.006);
        assertEquals(boxes.stream().mapToDouble(Box::y).max().orElseThrow(), all.y());
    }

    @Test
    void childrenSitOnTheirParentLeftToRightAlphabetically() throws Exception {
        List<Box> boxes = boxes(parse(export(TestProfiles.twoProcesses())));
        Box main = box(boxes, "main");
        Box write = box(boxes, "__GI___libc_write");
        Box compute = box(boxes, "compute");
        assertEquals(main.x(), write.x(), 0.006, "'_' sorts before 'c'");
        assertEquals(write.x() + write.width(), compute.x(), 0.011);
        assertEquals(main.x() + main.width(), compute.x() + compute.width(), 0.011);
        Box app = box(boxes, "app");
        Box worker = box(boxes, "worker");
        assertTrue(app.x() < worker.x());
        assertEquals(FlameGraphSvg.PAD, app.x(), 0.006);
    }

    @Test
    void eachKindOfFrameHasItsOwnClassAndPalette() throws Exception {
        List<Box> boxes = boxes(parse(export(TestProfiles.twoProcesses())));
        assertEquals("user", box(boxes, "compute").kind());
        assertEquals("jit", box(boxes, "LFoo;::bar").kind());
        assertEquals("kernel", box(boxes, "vfs_write").kind());
        assertEquals("unresolved", box(boxes, TestProfiles.LIBC + "+0x29d90").kind());
        assertEquals("unresolved", box(boxes, "0xdeadbeef").kind());
        assertEquals("process", box(boxes, "worker").kind());
        Set<String> legend = new HashSet<>();
        for (FlameStyle style : FlameStyle.values()) {
            legend.add(style.legendFill());
        }
        assertEquals(FlameStyle.values().length, legend.size(), "palettes differ");
    }

    @Test
    void carriesItsScriptAndTheTitleWithTheMetadata() throws Exception {
        byte[] svg = export(TestProfiles.twoProcesses());
        Document document = parse(svg);
        NodeList scripts = document.getElementsByTagNameNS(SVG_NS, "script");
        assertEquals(1, scripts.getLength());
        String script = scripts.item(0).getTextContent();
        assertTrue(script.contains("function zoom("), "zoom");
        assertTrue(script.contains("function search("), "search");
        assertTrue(script.contains("function resetZoom("), "reset");
        assertFalse(script.contains("]]>"), "the script cannot end its CDATA section");
        String text = document.getDocumentElement().getTextContent();
        assertTrue(text.contains("cpu-clock at 99 Hz for 10.25 s"), text);
        assertTrue(text.contains("18 samples · 4 lost"), text);
        assertTrue(text.contains("collector kfunc"), text);
        assertTrue(text.contains("kernel 6.18.44-test"), text);
        assertNotNull(findById(document, "details"));
        assertNotNull(findById(document, "reset"));
        assertNotNull(findById(document, "search"));
        String raw = new String(svg, java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(raw.contains("http://") && raw.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "no network resource");
        assertFalse(raw.contains("https://"), "no network resource");
    }

    private static Element findById(Document document, String id) {
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void hostileNamesStayText() throws Exception {
        String scriptInjection = "</script><script>alert(1)</script>";
        String markup = "a&b<c>d\"e'f]]>g&amp;";
        String whitespace = "tab\there\nnewline\rreturn";
        String forbidden = "nul\u0000bell\u0007ffff\uFFFFlone\uD800end";
        String attributeBreak = "\" onload=\"alert(2)";
        Frame[] frames = { TestProfiles.user("/bin/x", null, scriptInjection, 0x10),
                TestProfiles.user("/bin/x", null, markup, 0x20), TestProfiles.user("/bin/x", null, whitespace, 0x30),
                TestProfiles.user("/bin/x", null, forbidden, 0x40),
                TestProfiles.user("/bin/x", null, attributeBreak, 0x50) };
        Profile profile = new Profile(TestProfiles.metadata(5, 0),
                List.of(new ProfileStack(1, "<svg onload=alert(3)>", List.of(frames), 5)));
        Document document = parse(export(profile));

        List<Box> boxes = boxes(document);
        box(boxes, scriptInjection);
        box(boxes, markup);
        box(boxes, whitespace);
        box(boxes, attributeBreak);
        box(boxes, "<svg onload=alert(3)>");
        // Characters XML cannot carry at all become U+FFFD; everything else reads back exactly.
        box(boxes, "nul\uFFFDbell\uFFFDffff\uFFFDlone\uFFFDend");
        assertEquals(1, document.getElementsByTagNameNS(SVG_NS, "script").getLength(), "no script injected");
        assertEquals(1, document.getElementsByTagNameNS(SVG_NS, "svg").getLength(), "no svg injected");
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertEquals(SVG_NS, e.getNamespaceURI());
            assertTrue(OUR_ELEMENTS.contains(e.getLocalName()), e.getLocalName());
            NamedNodeMap attributes = e.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                assertFalse(attributes.item(a).getNodeName().startsWith("on"), "no event attribute injected");
            }
        }
    }

    @Test
    void longNamesAreCutToFitTheirBox() throws Exception {
        String longName = "x".repeat(500);
        Frame wide = TestProfiles.user("/bin/x", null, longName, 0x10);
        Frame narrow = TestProfiles.user("/bin/x", null, "narrow_function_name", 0x20);
        Profile profile = new Profile(TestProfiles.metadata(101, 0),
                List.of(new ProfileStack(1, "x", List.of(wide), 100), new ProfileStack(1, "x", List.of(narrow), 1)));
        List<Box> boxes = boxes(parse(export(profile)));
        Box cut = box(boxes, longName);
        assertTrue(cut.text().endsWith(".."), cut.text());
        assertTrue(cut.text().length() * FlameGraphSvg.FONT_WIDTH <= cut.width(), "fits: " + cut);
        assertEquals("", box(boxes, "narrow_function_name").text(), "11.7 px holds no name");
        assertEquals("x", box(boxes, "x").text());
        assertEquals("abc..", FlameGraphSvg.fit("abcdefgh", 6 + 5 * FlameGraphSvg.FONT_WIDTH));
        assertEquals("a\uD83D\uDE00..", FlameGraphSvg.fit("a\uD83D\uDE00bcdef", 6 + 5 * FlameGraphSvg.FONT_WIDTH));
        assertEquals("a..", FlameGraphSvg.fit("a\uD83D\uDE00bcdef", 6 + 4 * FlameGraphSvg.FONT_WIDTH),
                "a surrogate pair is never split");
    }

    @Test
    void aProfileWithoutSamplesIsAValidDocumentThatSaysSo() throws Exception {
        Document document = parse(export(TestProfiles.empty()));
        assertTrue(boxes(document).isEmpty());
        assertTrue(document.getDocumentElement().getTextContent().contains("no samples"));
        assertEquals(1, document.getElementsByTagNameNS(SVG_NS, "script").getLength());
    }

    @Test
    void framesNarrowerThanATenthOfAPixelAreLeftOutAndCounted() throws Exception {
        Frame hot = TestProfiles.user("/bin/x", null, "hot", 0x10);
        Frame rare = TestProfiles.user("/bin/y", null, "rare", 0x20);
        Frame rareCallee = TestProfiles.user("/bin/y", null, "rare_callee", 0x30);
        // 1 sample in 100,001 is 0.0118 px of 1180: the rare process, its two frames go.
        Profile profile = new Profile(TestProfiles.metadata(100_001, 0), List.of(
                new ProfileStack(1, "x", List.of(hot), 100_000), new ProfileStack(2, "y", List.of(rare, rareCallee), 1)));
        Document document = parse(export(profile));
        List<Box> boxes = boxes(document);
        assertEquals(Set.of("all", "x", "hot"), boxes.stream().map(Box::name).collect(java.util.stream.Collectors.toSet()));
        String note = findById(document, "note").getTextContent();
        assertTrue(note.contains("3 frames narrower than 0.1 px omitted"), note);
        assertFalse(parse(export(TestProfiles.twoProcesses())).getDocumentElement().getTextContent()
                .contains("omitted"));
    }

    @Test
    void aLargeProfileIsMergedIntoOneBoundedDocument() throws Exception {
        List<ProfileStack> stacks = new ArrayList<>();
        for (int s = 0; s < 20_000; s++) {
            List<Frame> frames = new ArrayList<>();
            for (int d = 0; d < 40; d++) {
                // Shared roots, then a fan-out: like a real profile, most stacks share their outer frames.
                int variant = d < 10 ? 0 : (s >> Math.min(d - 10, 14)) % 7;
                frames.add(new Frame(d > 35 ? FrameKind.KERNEL : FrameKind.USER, 0x1000 + d, "fn_" + d + "_" + variant,
                        0, "/bin/big", 0x1000 + d, null));
            }
            stacks.add(new ProfileStack(1000 + s % 50, "big", frames, 1 + s % 3));
        }
        Profile profile = new Profile(TestProfiles.metadata(40_000, 0), stacks);
        // How long it takes is the benchmark's business; here only that it is whole and bounded in size.
        byte[] svg = export(profile);
        List<Box> boxes = boxes(parse(svg));
        long total = profile.totalSamples();
        assertEquals(total, box(boxes, "all").count());
        assertTrue(svg.length < 40_000_000, "size " + svg.length);
    }
}

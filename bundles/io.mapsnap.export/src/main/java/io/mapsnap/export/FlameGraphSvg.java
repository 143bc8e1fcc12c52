package io.mapsnap.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileMetadata;

/**
 * One self-contained interactive flame graph: an SVG document with its CSS and script inline and no external
 * resource, so it opens offline and can be mailed or attached to a ticket. Boxes are laid out as flamegraph.pl does:
 * the root at the bottom, a box as wide as its share of the samples, children left to right in alphabetical order.
 *
 * <p>
 * Names (frames, processes, the metadata) only ever appear as escaped XML text ({@link XmlText}): the box's
 * {@code <title>} holds the full name, which the script reads back from the document. The script itself is a fixed
 * resource, so no name is ever spliced into JavaScript.
 */
final class FlameGraphSvg {
    static final double WIDTH = 1200;
    static final double PAD = 10;
    static final double GRAPH_WIDTH = WIDTH - 2 * PAD;
    static final double FRAME_HEIGHT = 16;
    static final double FONT_SIZE = 12;
    /** The advance of a 12 px monospace font, 0.6 em (DejaVu Sans Mono: 0.602 em); truncation counts on it. */
    static final double FONT_WIDTH = 7.2;
    /** Boxes narrower than this are left out: nobody sees them, and a large profile has hundreds of thousands. */
    static final double MIN_WIDTH = 0.1;
    private static final double HEADER = 84;
    private static final double FOOTER = 28;
    private static final String SCRIPT = script();

    private record Box(FlameNode node, int depth, double x, double width) {
    }

    private FlameGraphSvg() {
    }

    static void write(Profile profile, Writer out) throws IOException {
        FlameNode root = FlameNode.merge(profile);
        long total = root.count();
        List<Box> boxes = new ArrayList<>();
        long omitted = total == 0 ? 0 : layout(root, 0, PAD, GRAPH_WIDTH / total, boxes);
        int maxDepth = boxes.stream().mapToInt(Box::depth).max().orElse(1);
        double height = HEADER + (maxDepth + 1) * FRAME_HEIGHT + FOOTER;

        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + px(WIDTH) + "\" height=\""
                + px(height) + "\" viewBox=\"0 0 " + px(WIDTH) + " " + px(height) + "\" data-font-width=\""
                + px(FONT_WIDTH) + "\" data-graph-left=\"" + px(PAD) + "\" data-graph-width=\"" + px(GRAPH_WIDTH)
                + "\">\n");
        out.write(STYLE);
        // CDATA so the script may use < and &; it is a fixed resource without "]]>" (FlameGraphSvgExporterTest).
        out.write("<script type=\"text/ecmascript\"><![CDATA[\n" + SCRIPT + "]]></script>\n");
        out.write("<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + px(WIDTH) + "\" height=\"" + px(height)
                + "\"/>\n");
        writeHeader(profile.metadata(), total, omitted, out);
        out.write("<g id=\"frames\">\n");
        if (total == 0) {
            out.write("<text class=\"empty\" x=\"" + px(WIDTH / 2) + "\" y=\"" + px(HEADER + FRAME_HEIGHT)
                    + "\">no samples</text>\n");
        }
        StringBuilder frame = new StringBuilder(256);
        for (Box box : boxes) {
            frame.setLength(0);
            appendBox(box, maxDepth, total, frame);
            out.append(frame);
        }
        out.write("</g>\n");
        out.write("<text id=\"details\" x=\"" + px(PAD) + "\" y=\"" + px(height - 10) + "\">\u00a0</text>\n");
        out.write("</svg>\n");
    }

    /** Adds the boxes wide enough to see, depth first; returns how many boxes were too narrow. */
    private static long layout(FlameNode node, int depth, double x, double pxPerSample, List<Box> boxes) {
        double width = node.count() * pxPerSample;
        if (width < MIN_WIDTH) {
            return node.size();
        }
        boxes.add(new Box(node, depth, x, width));
        long omitted = 0;
        double childX = x;
        for (FlameNode child : node.children()) {
            omitted += layout(child, depth + 1, childX, pxPerSample, boxes);
            childX += child.count() * pxPerSample;
        }
        return omitted;
    }

    private static void appendBox(Box box, int maxDepth, long total, StringBuilder out) {
        FlameNode node = box.node();
        double y = HEADER + (maxDepth - box.depth()) * FRAME_HEIGHT;
        out.append("<g class=\"f ").append(node.style().cssClass()).append("\" data-d=\"").append(box.depth())
                .append("\"><title>").append(XmlText.escape(node.name())).append(" (").append(node.count())
                .append(node.count() == 1 ? " sample, " : " samples, ").append(percent(node.count(), total))
                .append("%)</title><rect x=\"").append(px(box.x())).append("\" y=\"").append(px(y))
                .append("\" width=\"").append(px(box.width())).append("\" height=\"").append(px(FRAME_HEIGHT - 1))
                .append("\" fill=\"").append(node.style().fill(node.name())).append("\"/><text x=\"")
                .append(px(box.x() + 3)).append("\" y=\"").append(px(y + FRAME_HEIGHT - 4)).append("\">")
                .append(XmlText.escape(fit(node.name(), box.width()))).append("</text></g>\n");
    }

    private static void writeHeader(ProfileMetadata metadata, long total, long omitted, Writer out)
            throws IOException {
        out.write("<text class=\"title\" x=\"" + px(WIDTH / 2) + "\" y=\"24\">mapsnap flame graph</text>\n");
        String facts = String.format(Locale.ROOT,
                "%s at %d Hz for %.2f s · %d samples · %d lost · %d processes (%d exited) · collector %s · kernel %s",
                metadata.event(), metadata.frequencyHz(), metadata.duration().toNanos() / 1e9, metadata.samples(),
                metadata.lostSamples(), metadata.processes(), metadata.exitedProcesses(), metadata.collector(),
                metadata.kernelRelease());
        out.write("<text class=\"subtitle\" x=\"" + px(WIDTH / 2) + "\" y=\"44\">" + XmlText.escape(facts)
                + "</text>\n");
        String note = total == 0 ? "no samples"
                : omitted == 0 ? "started " + metadata.start()
                        : "started " + metadata.start() + " · " + omitted + " frames narrower than " + MIN_WIDTH
                                + " px omitted";
        out.write("<text class=\"subtitle\" id=\"note\" x=\"" + px(WIDTH / 2) + "\" y=\"60\">"
                + XmlText.escape(note) + "</text>\n");
        out.write("<text class=\"control hide\" id=\"reset\" x=\"" + px(PAD) + "\" y=\"24\">Reset Zoom</text>\n");
        out.write("<text class=\"control\" id=\"search\" x=\"" + px(WIDTH - PAD) + "\" y=\"24\">Search</text>\n");
        out.write("<text id=\"matched\" x=\"" + px(WIDTH - PAD) + "\" y=\"" + px(HEADER - 6) + "\">\u00a0</text>\n");
        double x = PAD;
        for (FlameStyle style : List.of(FlameStyle.USER, FlameStyle.JIT, FlameStyle.KERNEL, FlameStyle.UNRESOLVED,
                FlameStyle.PROCESS)) {
            out.write("<rect class=\"legend\" x=\"" + px(x) + "\" y=\"" + px(HEADER - 16) + "\" width=\"10\""
                    + " height=\"10\" fill=\"" + style.legendFill() + "\"/><text class=\"legend\" x=\"" + px(x + 14)
                    + "\" y=\"" + px(HEADER - 7) + "\">" + style.cssClass() + "</text>\n");
            x += 100;
        }
    }

    /** The name as it fits in {@code width}: whole, cut with "..", or nothing below three characters. */
    static String fit(String name, double width) {
        int chars = (int) Math.floor((width - 6) / FONT_WIDTH);
        if (chars < 3) {
            return "";
        }
        if (name.length() <= chars) {
            return name;
        }
        int cut = chars - 2;
        if (Character.isHighSurrogate(name.charAt(cut - 1))) {
            cut--; // never split a surrogate pair
        }
        return name.substring(0, cut) + "..";
    }

    /** Two decimals, without a locale's comma, and without the cost of String.format in the frame loop. */
    static String px(double value) {
        long hundredths = Math.round(value * 100);
        String sign = hundredths < 0 ? "-" : "";
        hundredths = Math.abs(hundredths);
        long fraction = hundredths % 100;
        return sign + hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private static String percent(long count, long total) {
        return px(100.0 * count / total);
    }

    private static final String STYLE = """
            <style type="text/css">
            text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; fill: rgb(0,0,0); }
            .background { fill: rgb(250,250,246); }
            .title { font-size: 17px; text-anchor: middle; }
            .subtitle { text-anchor: middle; fill: rgb(90,90,90); }
            .empty { font-size: 17px; text-anchor: middle; fill: rgb(90,90,90); }
            #search, #matched { text-anchor: end; }
            .control { cursor: pointer; fill: rgb(30,60,170); }
            g.f { cursor: pointer; }
            g.f:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; }
            g.f text { pointer-events: none; }
            .hide { display: none; }
            .parent { opacity: 0.5; }
            </style>
            """;

    private static String script() {
        try (InputStream in = FlameGraphSvg.class.getResourceAsStream("flamegraph.js")) {
            if (in == null) {
                throw new IllegalStateException("flamegraph.js is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

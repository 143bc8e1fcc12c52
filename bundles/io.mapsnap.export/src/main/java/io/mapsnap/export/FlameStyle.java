package io.mapsnap.export;

import io.mapsnap.api.symbol.Frame;

/**
 * How a flame graph box is drawn: a CSS class and a palette per kind of frame, so user, JIT, kernel and unresolved
 * code read apart at a glance. Shades within a palette come from the name's hash — stable across runs, so the same
 * function keeps its color from one profile to the next.
 */
enum FlameStyle {
    /** The bottom box, all samples. */
    ROOT("root", 190, 190, 190, 0, 0, 0, true),
    /** A process name: the first box of every stack. */
    PROCESS("process", 150, 110, 200, 50, 40, 40, false),
    /** Code in a file mapped by a process: flamegraph.pl's "hot" palette. */
    USER("user", 205, 0, 0, 50, 230, 55, false),
    /** JIT code named by a perf map: greens, as flamegraph.pl's java palette draws _[j]. */
    JIT("jit", 50, 165, 50, 60, 60, 60, false),
    /** Kernel code: blues, apart from every warm user color. */
    KERNEL("kernel", 60, 130, 200, 50, 60, 55, false),
    /** A frame that could not be named ({@code module+0xoffset}): grays. */
    UNRESOLVED("unresolved", 150, 150, 150, 40, 40, 40, true);

    private final String cssClass;
    private final int red, green, blue, redRange, greenRange, blueRange;
    /** Grays: one shade for all three channels, or they tint. */
    private final boolean gray;

    FlameStyle(String cssClass, int red, int green, int blue, int redRange, int greenRange, int blueRange,
            boolean gray) {
        this.cssClass = cssClass;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.redRange = redRange;
        this.greenRange = greenRange;
        this.blueRange = blueRange;
        this.gray = gray;
    }

    static FlameStyle of(Frame frame) {
        if (!frame.resolved()) {
            return UNRESOLVED;
        }
        return switch (frame.kind()) {
            case USER -> USER;
            case JIT -> JIT;
            case KERNEL -> KERNEL;
        };
    }

    String cssClass() {
        return cssClass;
    }

    /** An {@code rgb(...)} fill for {@code name}. */
    String fill(String name) {
        int hash = name.hashCode() * 0x9E3779B1;
        if (gray) {
            int shade = red + shade(hash, 0, redRange);
            return "rgb(" + shade + "," + shade + "," + shade + ")";
        }
        return "rgb(" + (red + shade(hash, 0, redRange)) + "," + (green + shade(hash, 10, greenRange)) + ","
                + (blue + shade(hash, 20, blueRange)) + ")";
    }

    /** The legend's color: the palette's middle. */
    String legendFill() {
        return "rgb(" + (red + redRange / 2) + "," + (green + greenRange / 2) + "," + (blue + blueRange / 2) + ")";
    }

    private static int shade(int hash, int shift, int range) {
        return range == 0 ? 0 : ((hash >>> shift) & 0x3ff) * range / 0x400;
    }
}

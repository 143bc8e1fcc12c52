package io.mapsnap.export;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;

/**
 * One box of a flame graph: the stacks of a profile merged into a tree (root "all", then the process name, then the
 * frames from the outermost), so that a large profile is drawn once per distinct path rather than once per stack.
 */
final class FlameNode {
    private static final Comparator<FlameNode> ALPHABETICAL = Comparator.comparing(FlameNode::name)
            .thenComparing(FlameNode::style);

    private record Key(String name, FlameStyle style) {
    }

    private final String name;
    private final FlameStyle style;
    private long count;
    private Map<Key, FlameNode> children = Map.of();

    private FlameNode(String name, FlameStyle style) {
        this.name = name;
        this.style = style;
    }

    /** The profile's stacks merged, under a root named "all". */
    static FlameNode merge(Profile profile) {
        FlameNode root = new FlameNode("all", FlameStyle.ROOT);
        for (ProfileStack stack : profile.stacks()) {
            root.count += stack.count();
            FlameNode node = root.child(stack.comm(), FlameStyle.PROCESS);
            node.count += stack.count();
            for (Frame frame : stack.frames()) {
                node = node.child(frame.label(), FlameStyle.of(frame));
                node.count += stack.count();
            }
        }
        return root;
    }

    private FlameNode child(String childName, FlameStyle childStyle) {
        if (children.isEmpty()) {
            children = new HashMap<>();
        }
        return children.computeIfAbsent(new Key(childName, childStyle), k -> new FlameNode(k.name(), k.style()));
    }

    String name() {
        return name;
    }

    FlameStyle style() {
        return style;
    }

    /** Samples in this box and above it. */
    long count() {
        return count;
    }

    /** Children in alphabetical order, as flamegraph.pl lays them out (left to right). */
    List<FlameNode> children() {
        List<FlameNode> sorted = new ArrayList<>(children.values());
        sorted.sort(ALPHABETICAL);
        return sorted;
    }

    /** This box and every box above it. */
    long size() {
        long size = 1;
        for (FlameNode child : children.values()) {
            size += child.size();
        }
        return size;
    }
}

package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.LabelRequirement;
import io.orchestra.scheduler.Taint;
import io.orchestra.scheduler.Topology;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns the strings the hot path compares (label keys, label values, node ids, zones) and the
 * taints, so that filters compare ints in arrays instead of strings in maps. Ids only grow; a
 * change of {@link #version()} tells compiled requests to recompile.
 *
 * <p>Lookups are lock-free from any thread; interning happens under the owning {@link
 * StateStore}'s lock.
 */
final class Symbols {
  /** Key id of the built-in {@link Topology#NODE} key (the node id column). */
  static final int NODE_KEY = 0;
  /** Key id of the built-in {@link Topology#ZONE} key (the zone column). */
  static final int ZONE_KEY = 1;

  private final ConcurrentHashMap<String, Integer> keys;
  private final ConcurrentHashMap<String, Integer> values;
  private final ConcurrentHashMap<Taint, Integer> taints;
  private volatile String[] valueNames;
  private volatile long[] numeric;
  private volatile boolean[] isNumeric;
  private volatile Taint[] taintById;
  private volatile int valueCount;
  private volatile int version;

  Symbols() {
    keys = new ConcurrentHashMap<>();
    values = new ConcurrentHashMap<>();
    taints = new ConcurrentHashMap<>();
    valueNames = new String[64];
    numeric = new long[64];
    isNumeric = new boolean[64];
    taintById = new Taint[0];
    keys.put(Topology.NODE, NODE_KEY);
    keys.put(Topology.ZONE, ZONE_KEY);
  }

  private Symbols(Symbols other) {
    keys = new ConcurrentHashMap<>(other.keys);
    values = new ConcurrentHashMap<>(other.values);
    taints = new ConcurrentHashMap<>(other.taints);
    valueNames = other.valueNames.clone();
    numeric = other.numeric.clone();
    isNumeric = other.isNumeric.clone();
    taintById = other.taintById.clone();
    valueCount = other.valueCount;
    version = other.version;
  }

  /** A copy with the same ids. Call under the owner's lock. */
  Symbols copy() {
    return new Symbols(this);
  }

  int version() {
    return version;
  }

  int keyCount() {
    return keys.size();
  }

  /** The id of {@code key}, or -1. */
  int keyId(String key) {
    Integer id = keys.get(key);
    return id == null ? -1 : id;
  }

  /** The id of {@code value}, or -1. */
  int valueId(String value) {
    Integer id = values.get(value);
    return id == null ? -1 : id;
  }

  /** The id of {@code taint}, or -1. */
  int taintId(Taint taint) {
    Integer id = taints.get(taint);
    return id == null ? -1 : id;
  }

  /** How many values have ids (ids are {@code 0 .. valueCount-1}). */
  int valueCount() {
    return valueCount;
  }

  String valueName(int id) {
    return valueNames[id];
  }

  /** The integer value of value {@code id}: whether it is one, and which. */
  boolean isNumeric(int id) {
    boolean[] flags = isNumeric;
    return id >= 0 && id < flags.length && flags[id];
  }

  long numeric(int id) {
    return numeric[id];
  }

  Taint[] taints() {
    return taintById;
  }

  int internKey(String key) {
    Integer id = keys.get(key);
    if (id != null) {
      return id;
    }
    int next = keys.size();
    keys.put(key, next);
    version++;
    return next;
  }

  int internValue(String value) {
    Integer id = values.get(value);
    if (id != null) {
      return id;
    }
    int next = valueCount;
    if (next == valueNames.length) {
      int cap = next * 2;
      valueNames = Arrays.copyOf(valueNames, cap);
      long[] n = Arrays.copyOf(numeric, cap);
      boolean[] f = Arrays.copyOf(isNumeric, cap);
      numeric = n;
      isNumeric = f;
    }
    valueNames[next] = value;
    Long parsed = LabelRequirement.parseLong(value);
    if (parsed != null) {
      numeric[next] = parsed;
      isNumeric[next] = true;
    }
    values.put(value, next);
    valueCount = next + 1;
    version++;
    return next;
  }

  int internTaint(Taint taint) {
    Integer id = taints.get(taint);
    if (id != null) {
      return id;
    }
    Taint[] old = taintById;
    Taint[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = taint;
    taints.put(taint, old.length);
    taintById = grown;
    version++;
    return old.length;
  }
}

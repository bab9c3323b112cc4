/* credpath learner site: where a learner stands, what to take next, the plan to each outcome.
 *
 * Two parts in one file, with no build step and nothing fetched:
 *  1. The semantics: the same answers as `credpath next` and `credpath plan` for any set of
 *     held credentials. Each function marked `// mirrors credpath.<module>.<name>` repeats
 *     that Python function step for step, including the order in which things are tried,
 *     because derived pathways break ties by that order; the Python side says so in its
 *     docstring, and tests/test_js_mirror.py holds both marks. Limits the Python code
 *     sets (EXACT_LIMIT, SEARCH_BUDGET) come with the data (site/data.py), never copied
 *     here. Tests run it under Node against the CLI (tests/test_site_semantics.py).
 *  2. The page: reads the learner's credentials from the link (#have=a,b) or from
 *     localStorage, and fills the elements marked with data-role.
 * Only credential ids are stored, in this browser; nothing is sent anywhere.
 */
"use strict";

/* ---------------------------------------------------------------------------------------
 * 1. Semantics (docs/format.md sections 3 and 4)
 * ------------------------------------------------------------------------------------- */

const DATA_FORMAT = 2; // the shape of data this script reads (site/data.py FORMAT, bumped with it)

/** Requirement arrays from site/data.py as objects: refs have a kind, operators an op (a
 * reference's text is left out of the data when it is the default one). */
function readRequirement(data) {
  switch (data[0]) {
    case "credential":
      return { kind: "credential", target: data[1], number: 1, text: data.length > 2 ? data[2] : data[1] };
    case "competency": {
      const text = data.length > 3 ? data[3] : `${data[1]}@${data[2]}`;
      return { kind: "competency", target: data[1], number: data[2], text };
    }
    case "all":
    case "any":
      return { op: data[0], items: data[1].map(readRequirement) };
    case "choose":
      return { op: "choose", n: data[1], items: data[2].map(readRequirement) };
    default:
      return { op: "invalid", items: [] };
  }
}

/** The references in a requirement, in written order. */
// mirrors credpath.compiler.requirements.refs
function refs(requirement, found = []) {
  if (requirement.kind) found.push(requirement);
  else for (const item of requirement.items) refs(item, found);
  return found;
}

/** How many parts a requirement has, every operator and reference counted: the search's
 * unit of work. */
// mirrors credpath.compiler.requirements.size
function size(requirement) {
  let count = 0;
  const stack = [requirement];
  while (stack.length) {
    const node = stack.pop();
    count += 1;
    if (!node.kind && node.op !== "invalid") stack.push(...node.items);
  }
  return count;
}

/** References every way of meeting the requirement needs. */
// mirrors credpath.compiler.semantics.all_chain
function allChain(requirement, found = []) {
  if (requirement.kind) found.push(requirement);
  else if (
    requirement.op === "all" ||
    (requirement.op === "any" && requirement.items.length === 1) ||
    (requirement.op === "choose" && requirement.n === requirement.items.length)
  ) {
    for (const item of requirement.items) allChain(item, found);
  }
  return found;
}

/** The requirement names the credential in a part not met yet. */
// mirrors credpath.compiler.semantics.wants
function wants(requirement, id, state) {
  if (satisfied(requirement, state)) return false;
  if (requirement.kind) return requirement.kind === "credential" && requirement.target === id;
  return (requirement.items || []).some((item) => wants(item, id, state));
}

/** The credentials held and, per competency, the highest level held. */
// mirrors credpath.compiler.semantics.State
class State {
  constructor(held = new Set(), levels = new Map()) {
    this.held = held;
    this.levels = levels;
  }
  copy() {
    return new State(new Set(this.held), new Map(this.levels));
  }
  level(competency) {
    return this.levels.get(competency) || 0;
  }
  raise(competency, level) {
    if (this.level(competency) < level) this.levels.set(competency, level);
  }
  /** Hold the credential; return the ids whose level (or holding) changed. */
  earn(credential) {
    this.held.add(credential.id);
    const changed = [credential.id];
    for (const [target, number] of credential.grants) {
      if (this.level(target) < number) {
        this.levels.set(target, number);
        changed.push(target);
      }
    }
    return changed;
  }
  has(ref) {
    return ref.kind === "credential" ? this.held.has(ref.target) : this.level(ref.target) >= ref.number;
  }
}

// mirrors credpath.compiler.semantics.satisfied
function satisfied(requirement, state) {
  if (requirement.kind) return state.has(requirement);
  switch (requirement.op) {
    case "all":
      return requirement.items.every((item) => satisfied(item, state));
    case "any":
      return requirement.items.some((item) => satisfied(item, state));
    case "choose": {
      let count = 0;
      for (const item of requirement.items) {
        if (satisfied(item, state) && ++count >= requirement.n) return true;
      }
      return false;
    }
    default:
      return false; // invalid
  }
}

/** The first reference that keeps the requirement unmet (the first leaf unmet yields). */
// mirrors credpath.compiler.semantics.unmet
function firstUnmet(requirement, state) {
  if (satisfied(requirement, state)) return null;
  if (requirement.kind || requirement.op === "invalid") return requirement;
  for (const item of requirement.items) {
    const leaf = firstUnmet(item, state);
    if (leaf) return leaf;
  }
  return null;
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const compareStrings = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const sumHours = (credentials) => credentials.reduce((total, c) => total + c.hours, 0);

/** Round k holds what is earnable once rounds 1..k-1 are held. */
// mirrors credpath.compiler.semantics.stages
function stages(chosen, start) {
  const remaining = new Map(chosen.map((c) => [c.id, c]));
  const watchers = new Map();
  for (const credential of remaining.values()) {
    for (const target of new Set(refs(credential.requires).map((r) => r.target))) {
      if (!watchers.has(target)) watchers.set(target, []);
      watchers.get(target).push(credential);
    }
  }
  const state = start.copy();
  const found = [];
  let now = [...remaining.values()].filter((c) => satisfied(c.requires, state));
  while (now.length) {
    now.sort(byId);
    const changed = new Set();
    for (const credential of now) {
      remaining.delete(credential.id);
      for (const id of state.earn(credential)) changed.add(id);
    }
    found.push(now.map((c) => c.id));
    const looked = new Map();
    for (const name of changed) {
      for (const w of watchers.get(name) || []) if (remaining.has(w.id)) looked.set(w.id, w);
    }
    now = [...looked.values()].filter((c) => satisfied(c.requires, state));
  }
  return found;
}

/** The catalog and what is derived from it once (what credpath.compiler.semantics.Semantics
 * holds; each method that repeats one of its methods names it). */
class Semantics {
  constructor(data) {
    if (data.format !== DATA_FORMAT) throw new Error("credpath: this data is for another version");
    this.data = data;
    this.limits = data.limits; // pathways.EXACT_LIMIT and SEARCH_BUDGET, as the CLI has them
    this.assumed = new Map(Object.entries(data.assumed));
    this.credentials = data.credentials.map((c, index) => ({
      ...c,
      index,
      usable: c.usable !== false, // the data says it only when false
      requires: readRequirement(c.requires),
    }));
    this.credential = new Map(this.credentials.map((c) => [c.id, c]));
    this.outcomes = data.outcomes.map((o) => ({ ...o, requires: readRequirement(o.requires) }));
    this.outcome = new Map(this.outcomes.map((o) => [o.id, o]));
    // Semantics.outcomes_of: per credential, the outcomes it leads to (sorted by id), from
    // the data's bit sets, visiting only the bits set (a page loads it before anything).
    const outcomesOf = this.credentials.map(() => []);
    for (const outcome of [...this.outcomes].sort(byId)) {
      const bits = atob(outcome.leads);
      for (let byte = 0; byte < bits.length; byte++) {
        for (let value = bits.charCodeAt(byte); value; value &= value - 1) {
          const i = byte * 8 + 31 - Math.clz32(value & -value);
          if (i < outcomesOf.length) outcomesOf[i].push(outcome.id);
        }
      }
    }
    this.credentials.forEach((credential, i) => {
      credential.outcomes = outcomesOf[i];
    });
    this.active = this.credentials.filter((c) => c.usable);
    this.gaps = new Set(data.gaps);
    // Per competency, the usable credentials that grant it, highest level first.
    this.granters = new Map();
    for (const credential of this.active) {
      for (const [target, number] of credential.grants) {
        if (!this.granters.has(target)) this.granters.set(target, []);
        this.granters.get(target).push([number, credential]);
      }
    }
    for (const entries of this.granters.values()) {
      entries.sort((a, b) => b[0] - a[0] || byId(a[1], b[1]));
    }
    // Per id, the usable credentials whose requirements name it (closure's watchers).
    this.watchers = new Map();
    for (const credential of this.active) {
      for (const target of new Set(refs(credential.requires).map((r) => r.target))) {
        if (!this.watchers.has(target)) this.watchers.set(target, []);
        this.watchers.get(target).push(credential);
      }
    }
    // Per credential, [owner, requirement] naming it (Semantics._naming): usable
    // credentials (owner: their id), outcomes and pathway stages (owner: null).
    this.naming = new Map();
    const requirements = [
      ...this.active.map((c) => [c.id, c.requires]),
      ...this.outcomes.map((o) => [null, o.requires]),
      ...data.stageItems.map((item) => [null, readRequirement(item)]),
    ];
    for (const [owner, requirement] of requirements) {
      const named = new Set(refs(requirement).filter((r) => r.kind === "credential").map((r) => r.target));
      for (const target of named) {
        if (!this.naming.has(target)) this.naming.set(target, []);
        this.naming.get(target).push([owner, requirement]);
      }
    }
    this.guaranteed = new Map();
    this.leading = new Map();
    // Per learner state (never changed once made): what it reaches, in fixpoint order,
    // and the pathway estimator, shared by every outcome a page derives for that state.
    this.fromState = new WeakMap();
    this.serving = new Map(); // servers per reference, as Semantics._servers
  }

  start() {
    return new State(new Set(), new Map(this.assumed));
  }

  /** What holding a credential guarantees (itself, its grants, and what
   * its requirements name on every way of meeting them, transitively). In a loop each
   * member guarantees the others: a result that still lacks a member being worked out is
   * kept aside for this call only (and worked out again once that member is done), so
   * answers do not depend on which was asked first. */
  // mirrors credpath.compiler.semantics.Guarantees.of
  guarantees(credentialId) {
    const stack = [credentialId];
    const pending = new Set();
    const partial = new Map(); // id -> [result, the loop members it lacks]
    while (stack.length) {
      const current = stack[stack.length - 1];
      if (this.guaranteed.has(current) || partial.has(current)) {
        stack.pop();
        continue;
      }
      const credential = this.credential.get(current);
      const needed = [];
      for (const ref of credential ? allChain(credential.requires) : []) {
        const target = ref.target;
        if (ref.kind !== "credential" || this.guaranteed.has(target) || pending.has(target)) continue;
        const kept = partial.get(target);
        // Still waiting on members being worked out: fine as it is. Else work it out again.
        if (kept && [...kept[1]].every((id) => pending.has(id))) continue;
        partial.delete(target);
        needed.push(target);
      }
      if (needed.length) {
        pending.add(current);
        stack.push(...needed);
        continue;
      }
      stack.pop();
      pending.delete(current);
      const [result, lacking] = this.combine(current, partial, pending);
      if (lacking.size) partial.set(current, [result, lacking]);
      else this.guaranteed.set(current, result);
    }
    return this.guaranteed.get(credentialId);
  }

  // mirrors credpath.compiler.semantics.Guarantees._combine
  combine(credentialId, partial, pending) {
    const result = new State(new Set([credentialId]), new Map());
    const lacking = new Set();
    const credential = this.credential.get(credentialId);
    if (!credential) return [result, lacking];
    for (const [target, number] of credential.grants) result.raise(target, number);
    for (const ref of allChain(credential.requires)) {
      if (ref.kind === "competency") {
        result.raise(ref.target, ref.number);
        continue;
      }
      let inner = this.guaranteed.get(ref.target);
      if (!inner && partial.has(ref.target)) {
        const [kept, waiting] = partial.get(ref.target);
        inner = kept;
        for (const id of waiting) lacking.add(id);
      }
      if (!inner) {
        if (pending.has(ref.target)) lacking.add(ref.target); // a loop back
        continue;
      }
      for (const id of inner.held) result.held.add(id);
      for (const [target, level] of inner.levels) result.raise(target, level);
    }
    lacking.delete(credentialId);
    return [result, lacking];
  }

  /** A learner who holds these credentials (and the assumed levels). */
  // mirrors credpath.compiler.semantics.Semantics.learner
  learner(credentialIds) {
    const state = this.start();
    for (const id of credentialIds) {
      const guaranteed = this.guarantees(id);
      for (const held of guaranteed.held) state.held.add(held);
      for (const [target, level] of guaranteed.levels) state.raise(target, level);
    }
    return state;
  }

  /** A level the learner lacks, or itself where still needed. */
  // mirrors credpath.compiler.semantics.Semantics.adds_something
  addsSomething(credential, state) {
    if (credential.grants.some(([target, number]) => state.level(target) < number)) return true;
    return (this.naming.get(credential.id) || []).some(
      ([owner, r]) => !state.held.has(owner) && wants(r, credential.id, state),
    );
  }

  /** What a learner can start now and that adds something, the credentials leading to
   * most outcomes first, then by id. */
  // mirrors credpath.compiler.semantics.Semantics.next_doors
  nextDoors(state) {
    const doors = this.active.filter(
      (c) => !state.held.has(c.id) && satisfied(c.requires, state) && this.addsSomething(c, state),
    );
    doors.sort((a, b) => b.outcomes.length - a.outcomes.length || byId(a, b));
    return doors;
  }

  /** Earn everything earnable (in place); return what was earned, in order. `allowed`
   * limits which credentials may be earned. */
  // mirrors credpath.compiler.semantics.Semantics.closure
  closure(state, allowed = null) {
    const pool = allowed === null ? this.active : allowed;
    const allowedIds = allowed === null ? null : new Set(allowed.map((c) => c.id));
    const earned = [];
    const queue = pool.filter((c) => !state.held.has(c.id));
    for (let head = 0; head < queue.length; head++) {
      const credential = queue[head];
      if (state.held.has(credential.id) || !satisfied(credential.requires, state)) continue;
      earned.push(credential.id);
      for (const changed of state.earn(credential)) {
        for (const watcher of this.watchers.get(changed) || []) {
          if (!state.held.has(watcher.id) && (allowedIds === null || allowedIds.has(watcher.id))) {
            queue.push(watcher);
          }
        }
      }
    }
    return earned;
  }

  /** The usable credentials that grant a reference, or are it. */
  // mirrors credpath.compiler.semantics.Semantics.servers
  servers(ref) {
    if (ref.servers) return ref.servers; // remembered on the reference itself
    const key = `${ref.kind}:${ref.target}@${ref.number}`;
    let found = this.serving.get(key);
    if (!found) {
      if (ref.kind === "credential") {
        const credential = this.credential.get(ref.target);
        found = credential && credential.usable ? [credential] : [];
      } else {
        const granters = this.granters.get(ref.target) || [];
        found = granters.filter(([level]) => level >= ref.number).map(([, c]) => c);
      }
      this.serving.set(key, found);
    }
    ref.servers = found;
    return found;
  }

  /** The credentials (a byte per catalog index) that serve the outcome's requirements,
   * or those of a credential that does: computed by Python, read from the data. */
  // mirrors credpath.compiler.semantics.Semantics.leading_to_outcome
  leadingTo(outcomeId) {
    const outcome = this.outcome.get(outcomeId);
    if (!outcome.leading) {
      const bits = atob(outcome.leads);
      outcome.leading = new Uint8Array(this.credentials.length);
      for (let i = 0; i < this.credentials.length; i++) {
        outcome.leading[i] = (bits.charCodeAt(i >> 3) >> (i & 7)) & 1;
      }
    }
    return outcome.leading;
  }

  /** The pathway from `start` to the outcome, or null when unreachable.
   * {stages: [[id...]...], hours, optimal}; no stages when the outcome is already met. */
  // mirrors credpath.compiler.pathways.derive
  derive(outcomeId, start) {
    const goal = this.outcome.get(outcomeId).requires;
    const origin = start.copy();
    if (satisfied(goal, origin)) return { stages: [], hours: 0, optimal: true };
    const known = this.reached(start);
    if (!satisfied(goal, known.reach)) return null;
    // The candidates: what the learner can earn that leads there. Past the exact limit of
    // them the heuristic takes over, which needs no list: stop counting there.
    const { exact, searchBudget } = this.limits;
    const relevant = this.leadingTo(outcomeId);
    const candidates = [];
    for (const c of known.earned) {
      if (relevant[c.index] && candidates.push(c) > exact) break;
    }
    let chosen = null;
    let optimal = false;
    if (candidates.length <= exact) {
      chosen = search(goal, origin, candidates, searchBudget);
      optimal = chosen !== null;
    }
    if (chosen === null) {
      if (!known.estimator) known.estimator = new Estimator(this, origin, known.earned);
      chosen = heuristic(this, goal, origin, known.estimator);
    }
    return { stages: stages(chosen, origin), hours: sumHours(chosen), optimal };
  }

  /** What a learner state reaches: the fixpoint from it, and the order it earned things in
   * (pathways.derive computes it per call; a page asks for many outcomes at once). */
  reached(state) {
    let known = this.fromState.get(state);
    if (!known) {
      const reach = state.copy();
      const earned = this.closure(reach).map((id) => this.credential.get(id));
      known = { reach, earned, estimator: null };
      this.fromState.set(state, known);
    }
    return known;
  }

  /** Why the outcome cannot be reached from this state. */
  // mirrors credpath.commands.pathways._why_not
  whyNot(outcomeId, state) {
    const reach = state.copy();
    this.closure(reach);
    const leaf = firstUnmet(this.outcome.get(outcomeId).requires, reach);
    if (leaf && leaf.kind === "credential") {
      return `requires '${leaf.text}', which ${this.data.unearnable[leaf.target] || "cannot be earned"}`;
    }
    if (leaf && leaf.kind === "competency") {
      if (this.gaps.has(`${leaf.target}@${leaf.number}`)) {
        return `requires '${leaf.text}', which no credential grants`;
      }
      return `requires '${leaf.text}', and no credential that grants it can be earned`;
    }
    return "has an invalid requirement (run credpath validate)";
  }
}

/** A binary heap of search entries, smallest first (Python's heapq with tuples). */
class Heap {
  constructor(less) {
    this.items = [];
    this.less = less;
  }
  push(item) {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < items.length && this.less(items[left], items[least])) least = left;
        if (right < items.length && this.less(items[right], items[least])) least = right;
        if (least === i) break;
        [items[i], items[least]] = [items[least], items[i]];
        i = least;
      }
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}

/** (cost, count, members) in Python's tuple order; members are sorted index arrays. */
function entryLess(a, b) {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.count !== b.count) return a.count < b.count;
  const n = Math.min(a.members.length, b.members.length);
  for (let i = 0; i < n; i++) if (a.members[i] !== b.members[i]) return a.members[i] < b.members[i];
  return a.members.length < b.members.length;
}

/** Uniform-cost search over sets of held candidates; null when over the work `budget`.
 * Each set enters the frontier once; work counts the parts of the requirements checked. */
// mirrors credpath.compiler.pathways._search
function search(goal, start, candidates, budget) {
  const ordered = [...candidates].sort(byId);
  const step = size(goal) + ordered.reduce((total, c) => total + size(c.requires), 0);
  const frontier = new Heap(entryLess);
  frontier.push({ cost: 0, count: 0, members: [], mask: 0 });
  const pushed = new Set([0]);
  let work = 0;
  while (frontier.size) {
    const { cost, count, members, mask } = frontier.pop();
    work += step;
    if (work > budget) return null;
    const state = start.copy();
    for (const i of members) state.earn(ordered[i]);
    if (satisfied(goal, state)) return members.map((i) => ordered[i]);
    ordered.forEach((credential, i) => {
      const grown = mask | (1 << i);
      if (pushed.has(grown) || !satisfied(credential.requires, state)) return;
      pushed.add(grown);
      const grownMembers = [...members, i].sort((x, y) => x - y);
      frontier.push({ cost: cost + credential.hours, count: count + 1, members: grownMembers, mask: grown });
    });
  }
  return null;
}

/** Per credential, the cheapest estimated set of credentials that earns it, as
 * {hours, count, bits} with bits a bit set over the fixpoint's order. */
// mirrors credpath.compiler.pathways._Estimator
class Estimator {
  constructor(sem, start, order) {
    this.sem = sem;
    this.start = start;
    this.order = order;
    this.words = Math.ceil(order.length / 32);
    this.empty = { hours: 0, count: 0, bits: new Uint32Array(this.words) };
    this.estimates = new Map();
    order.forEach((credential, i) => {
      const needed = this.meet(credential.requires);
      if (needed === null) return;
      const own = new Uint32Array(this.words);
      own[i >> 5] = 1 << (i & 31);
      this.estimates.set(credential.id, this.union([needed, { hours: credential.hours, count: 1, bits: own }]));
    });
  }

  /** The union of the parts, adding the hours of each new member in the order of its
   * index (floating-point sums depend on the order). */
  // mirrors credpath.compiler.pathways._Estimator._union
  union(parts) {
    let hours = 0;
    let count = 0;
    let members = this.empty.bits;
    let owned = false; // whether `members` is our own copy
    for (const part of parts) {
      if (subset(part.bits, members)) continue; // nothing new
      if (subset(members, part.bits)) {
        ({ hours, count } = part);
        members = part.bits;
        owned = false;
        continue;
      }
      if (!owned) {
        members = Uint32Array.from(members);
        owned = true;
      }
      for (let w = 0; w < this.words; w++) {
        let fresh = part.bits[w] & ~members[w];
        members[w] |= part.bits[w];
        while (fresh) {
          const low = fresh & -fresh;
          hours += this.order[w * 32 + 31 - Math.clz32(low)].hours;
          count += 1;
          fresh ^= low;
        }
      }
    }
    return { hours, count, bits: members };
  }

  // mirrors credpath.compiler.pathways._Estimator.ids
  ids(bits) {
    const found = [];
    for (let w = 0; w < this.words; w++) {
      let rest = bits[w];
      while (rest) {
        const low = rest & -rest;
        found.push(this.order[w * 32 + 31 - Math.clz32(low)].id);
        rest ^= low;
      }
    }
    return found;
  }

  /** The cheapest estimated way to meet a requirement, or null. */
  // mirrors credpath.compiler.pathways._Estimator.meet
  meet(requirement) {
    if (requirement.kind) {
      if (this.start.has(requirement)) return this.empty;
      let best = null;
      for (const server of this.sem.servers(requirement)) {
        const option = this.estimates.get(server.id);
        if (option && (best === null || cheaper(option, best))) best = option;
      }
      return best;
    }
    if (requirement.op === "all") {
      const parts = [];
      for (const item of requirement.items) {
        const part = this.meet(item);
        if (part === null) return null;
        parts.push(part);
      }
      return this.union(parts);
    }
    if (requirement.op === "any" || requirement.op === "choose") {
      const need = requirement.op === "choose" ? requirement.n : 1;
      const found = requirement.items.map((item) => this.meet(item)).filter((p) => p !== null);
      if (found.length < need) return null;
      found.sort((a, b) => (cheaper(a, b) ? -1 : cheaper(b, a) ? 1 : 0)); // stable, as sorted()
      return this.union(found.slice(0, need));
    }
    return null;
  }
}

function subset(part, whole) {
  for (let w = 0; w < part.length; w++) if (part[w] & ~whole[w]) return false;
  return true;
}

// mirrors credpath.compiler.pathways._cost
const cheaper = (a, b) => a.hours < b.hours || (a.hours === b.hours && a.count < b.count);

/** The cheapest estimated providers, then drop what is not needed, costliest first,
 * never trying the members every way needs. */
// mirrors credpath.compiler.pathways._heuristic
function heuristic(sem, goal, start, estimator) {
  const chosen = estimator.meet(goal);
  let members = estimator.ids(chosen.bits).sort(compareStrings).map((id) => sem.credential.get(id));
  const needed = essential(goal, start, members);
  const costliestFirst = [...members].sort((a, b) => b.hours - a.hours || byId(a, b));
  for (const credential of costliestFirst) {
    if (needed.has(credential.id)) continue;
    const rest = members.filter((c) => c.id !== credential.id);
    const state = start.copy();
    sem.closure(state, rest);
    if (satisfied(goal, state) && rest.every((c) => state.held.has(c.id))) members = rest;
  }
  return members;
}

/** Members no irredundant subset can do without. */
// mirrors credpath.compiler.pathways._essential
function essential(goal, start, members) {
  const member = new Map(members.map((c) => [c.id, c]));
  const grants = new Map();
  for (const c of members) {
    for (const [target, number] of c.grants) {
      if (!grants.has(target)) grants.set(target, []);
      grants.get(target).push([number, c.id]);
    }
  }
  const found = new Set();
  const pending = [goal];
  while (pending.length) {
    for (const ref of allChain(pending.pop())) {
      if (start.has(ref)) continue;
      let needed;
      if (ref.kind === "credential") {
        needed = member.has(ref.target) ? [ref.target] : [];
      } else {
        const granting = new Set((grants.get(ref.target) || []).filter(([level]) => level >= ref.number).map(([, id]) => id));
        needed = granting.size === 1 ? [...granting] : [];
      }
      for (const id of needed) {
        if (!found.has(id)) {
          found.add(id);
          pending.push(member.get(id).requires);
        }
      }
    }
  }
  return found;
}

/** What `credpath next --format json` lists for a learner holding `have`. */
// mirrors credpath.commands.pathways.next_doors
function nextAnswer(sem, have) {
  const state = sem.learner(have);
  return sem.nextDoors(state).map((c) => ({ id: c.id, title: c.title, outcomes: c.outcomes }));
}

/** What `credpath plan OUTCOME --format json` says for a learner holding `have`. */
// mirrors credpath.commands.pathways.plan
function planAnswer(sem, outcomeId, have) {
  const state = sem.learner(have);
  const derived = sem.derive(outcomeId, state);
  const answer = {
    outcome: outcomeId,
    reachable: derived !== null,
    met: derived !== null && derived.stages.length === 0,
    reason: derived === null ? sem.whyNot(outcomeId, state) : null,
    stages: [],
    total_hours: null,
    credentials: null,
    optimal: null,
  };
  if (derived !== null) {
    answer.stages = derived.stages.map((ids, index) => ({
      stage: index + 1,
      hours: sumHours(ids.map((id) => sem.credential.get(id))),
      credentials: ids,
    }));
    answer.total_hours = derived.hours;
    answer.credentials = derived.stages.flat().length;
    answer.optimal = derived.optimal;
  }
  return answer;
}

if (typeof module !== "undefined") {
  module.exports = { Semantics, State, nextAnswer, planAnswer, readRequirement };
}

/* ---------------------------------------------------------------------------------------
 * 2. The page
 * ------------------------------------------------------------------------------------- */

if (typeof document !== "undefined") {
  document.addEventListener("DOMContentLoaded", () => {
    const data = window.credpathData;
    const body = document.body;
    const root = body.dataset.root || "";
    const storeKey = `credpath:${body.dataset.site}:have`;
    const sem = new Semantics(data);

    /** The learner's own list of earned credentials (ids that the catalog knows). */
    function readStored() {
      try {
        const parsed = JSON.parse(window.localStorage.getItem(storeKey) || "[]");
        return Array.isArray(parsed) ? parsed.filter((id) => sem.credential.has(id)) : [];
      } catch (error) {
        return []; // storage blocked or unreadable: start afresh
      }
    }
    function store(ids) {
      try {
        window.localStorage.setItem(storeKey, JSON.stringify(ids));
      } catch (error) {
        /* storage blocked (a private window): the state lives as long as the page */
      }
    }

    let have = readStored();

    /** A shared link (#have=a,b) replaces the stored state; the fragment is then dropped,
     * so a reload shows the state with the clicks made since. */
    function readLink() {
      const fragment = new URLSearchParams(window.location.hash.slice(1)).get("have");
      if (fragment === null) return false;
      const named = fragment.split(",").map((id) => id.trim()).filter(Boolean);
      const unknown = named.filter((id) => !sem.credential.has(id));
      have = [...new Set(named.filter((id) => sem.credential.has(id)))].sort(compareStrings);
      store(have);
      history.replaceState(null, "", window.location.pathname + window.location.search);
      if (unknown.length) {
        say(`This link names credentials this site does not know: ${unknown.join(", ")}.`);
      }
      return true;
    }
    readLink();
    window.addEventListener("hashchange", () => {
      if (readLink()) update();
    });

    function say(message) {
      const status = document.querySelector("[data-role='status']");
      if (status) status.textContent = message;
    }

    function element(tag, attributes = {}, ...children) {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      for (const child of children) node.append(child); // strings become text, never HTML
      return node;
    }
    const credentialHref = (id) => `${root}credentials/${encodeURIComponent(id)}.html`;
    const outcomeHref = (id) => `${root}outcomes/${encodeURIComponent(id)}.html`;
    const hoursText = (hours) => `${Number(hours.toPrecision(6))} h`;
    const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

    /** The credentials held that lead to the outcome. */
    function heldToward(outcomeId, state) {
      const leading = sem.leadingTo(outcomeId);
      return [...state.held].map((c) => sem.credential.get(c)).filter((c) => c && leading[c.index]);
    }

    function setEarned(id, earned) {
      have = have.filter((other) => other !== id);
      if (earned) have.push(id);
      have.sort(compareStrings);
      store(have);
      update();
    }

    function earnButton(id, state) {
      const marked = have.includes(id);
      const implied = !marked && state.held.has(id);
      const title = sem.credential.get(id).title;
      const button = element(
        "button",
        { type: "button", "data-earn": id, "aria-pressed": String(marked), class: "earn" },
        marked ? "Earned ✓" : implied ? "Held (implied)" : "Mark as earned",
      );
      button.setAttribute("aria-label", `${marked ? "Earned" : "Mark as earned"}: ${title}`);
      return button;
    }

    function credentialItem(id, state, extra = []) {
      const credential = sem.credential.get(id);
      return element(
        "li",
        { "data-credential": id, class: "credential" },
        element("a", { href: credentialHref(id) }, credential.title),
        element("span", { class: "meta" }, ` ${credential.type}${credential.hours ? `, ${hoursText(credential.hours)}` : ""}`),
        ...extra,
        " ",
        earnButton(id, state),
      );
    }

    function renderNext(container, state) {
      const doors = sem.nextDoors(state);
      const list = element("ul", { class: "doors" });
      const shown = 3; // outcome links per door; the credential's page lists them all
      for (const door of doors) {
        const more = door.outcomes.length - shown;
        const toward = door.outcomes.length
          ? element("span", { class: "toward" }, " → ", ...door.outcomes.slice(0, shown).flatMap((o, i) => [
              i ? ", " : "",
              element("a", { href: outcomeHref(o) }, sem.outcome.get(o).title),
            ]), more > 0 ? ` and ${plural(more, "more outcome")}` : "")
          : element("span", { class: "toward" }, " → leads to no outcome");
        list.append(credentialItem(door.id, state, [toward]));
      }
      container.replaceChildren(
        doors.length ? list : element("p", {}, "Nothing new can be started from here."),
      );
    }

    function renderOutcomeCard(card, state) {
      const id = card.dataset.progress;
      const derived = sem.derive(id, state);
      const text = card.querySelector(".progress-text");
      const bar = card.querySelector("progress");
      if (derived === null) {
        text.textContent = "Not reachable yet from here.";
        bar.value = 0;
        return;
      }
      const done = sumHours(heldToward(id, state));
      const left = derived.hours;
      const count = derived.stages.flat().length;
      bar.max = 100;
      bar.value = derived.stages.length === 0 ? 100 : done + left > 0 ? Math.round((100 * done) / (done + left)) : 0;
      text.textContent = derived.stages.length === 0
        ? "Met: you hold everything it asks for."
        : `${plural(count, "credential")}, ${hoursText(left)} to go in ${plural(derived.stages.length, "stage")}.`;
    }

    function renderPlan(container, state) {
      const id = container.dataset.outcome;
      const derived = sem.derive(id, state);
      const parts = [];
      if (derived === null) {
        parts.push(element("p", { "data-role": "unreachable", class: "alert" },
          `${sem.outcome.get(id).title} cannot be reached from here: it ${sem.whyNot(id, state)}.`));
      } else if (derived.stages.length === 0) {
        parts.push(element("p", { "data-role": "met", class: "done" },
          `You meet ${sem.outcome.get(id).title}: nothing left to earn.`));
      } else {
        const count = derived.stages.flat().length;
        parts.push(element("p", { class: "total" },
          `${plural(count, "credential")}, ${hoursText(derived.hours)} in ${plural(derived.stages.length, "stage")}` +
          (derived.optimal ? "." : " (many options: a good pathway, not proven the shortest).")));
        const list = element("ol", { class: "stages" });
        derived.stages.forEach((ids, index) => {
          const hours = sumHours(ids.map((c) => sem.credential.get(c)));
          list.append(element("li", { "data-stage": String(index + 1), class: "stage" },
            element("h3", {}, `Stage ${index + 1}`, element("span", { class: "meta" }, ` ${hoursText(hours)}`)),
            element("ul", {}, ...ids.map((c) => credentialItem(c, state)))));
        });
        parts.push(list);
      }
      container.replaceChildren(...parts);
      const earned = document.querySelector("[data-role='earned-toward']");
      if (earned) {
        const held = heldToward(id, state).map((c) => c.id).sort(compareStrings);
        earned.replaceChildren(held.length
          ? element("ul", {}, ...held.map((c) => credentialItem(c, state)))
          : element("p", {}, "Nothing yet."));
      }
    }

    function renderHave(container, state) {
      const implied = [...state.held].filter((id) => !have.includes(id) && sem.credential.has(id));
      container.replaceChildren(
        have.length
          ? element("ul", {}, ...have.map((id) => credentialItem(id, state)))
          : element("p", {}, "Nothing marked yet. Mark the credentials you hold, and the page shows what comes next."),
        ...(implied.length
          ? [element("p", { class: "meta" }, `Held through them: ${implied.sort(compareStrings).map((id) => sem.credential.get(id).title).join(", ")}.`)]
          : []),
      );
    }

    /* Outcome cards are filled when they come into view: a catalog with a hundred outcomes
     * derives a pathway for the few on screen first, the rest as the learner scrolls (and
     * all of them before printing). */
    let current = null; // the learner state the cards are drawn for
    const drawn = new WeakMap(); // card -> the state it was drawn for
    function fillCard(card) {
      if (current !== null && drawn.get(card) !== current) {
        renderOutcomeCard(card, current);
        drawn.set(card, current);
      }
    }
    const inView = new Set(); // the cards on screen now
    const watcher = "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => {
          for (const entry of entries) {
            if (entry.isIntersecting) {
              inView.add(entry.target);
              fillCard(entry.target);
            } else {
              inView.delete(entry.target);
            }
          }
        })
      : null;
    const cards = [...document.querySelectorAll("[data-progress]")];
    const FIRST_CARDS = 12;
    for (const card of cards) if (watcher) watcher.observe(card);
    window.addEventListener("beforeprint", () => cards.forEach(fillCard));

    /* The cards are filled after the page is usable, one per task: each derives a pathway
     * (a tenth of a second in a 10,000-credential catalog), and the next doors, the
     * buttons and the search must not wait for them. */
    const queued = [];
    function fillLater(list) {
      if (!queued.length) setTimeout(fillQueued, 0);
      queued.push(...list);
    }
    function fillQueued() {
      const card = queued.shift();
      if (card) fillCard(card);
      if (queued.length) setTimeout(fillQueued, 0);
    }

    function update() {
      const state = sem.learner(have);
      current = state;
      for (const container of document.querySelectorAll("[data-role='next']")) renderNext(container, state);
      // the first cards (a screenful), without waiting for a layout; the observer fills the
      // others as they come into view
      fillLater(watcher ? [...cards.slice(0, FIRST_CARDS), ...inView] : cards);
      for (const container of document.querySelectorAll("[data-role='plan']")) renderPlan(container, state);
      for (const container of document.querySelectorAll("[data-role='have']")) renderHave(container, state);
      for (const button of document.querySelectorAll("[data-earn]")) {
        if (button.closest("[data-role]")) continue; // drawn above
        const replacement = earnButton(button.dataset.earn, state);
        button.replaceWith(replacement);
      }
      const count = document.querySelector("[data-role='count']");
      if (count) count.textContent = have.length ? `You hold ${plural(have.length, "credential")}.` : "";
      document.dispatchEvent(new CustomEvent("credpath:update")); // learner.js redraws the map
    }

    /** Mark the credential earned, or no longer; say so. */
    function toggle(id) {
      const marked = !have.includes(id);
      setEarned(id, marked);
      say(`${sem.credential.get(id).title}: ${marked ? "marked as earned" : "no longer marked"}.`);
      return marked;
    }

    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-earn]");
      if (button) {
        const id = button.dataset.earn;
        toggle(id);
        const again = document.querySelector(`[data-earn="${CSS.escape(id)}"]`);
        if (again) again.focus();
        return;
      }
      const action = event.target.closest("[data-action]");
      if (!action) return;
      if (action.dataset.action === "reset") {
        have = [];
        store(have);
        update();
        say("Progress reset: nothing is marked as earned.");
      } else if (action.dataset.action === "share") {
        const link = new URL(`${root}index.html`, window.location.href);
        link.hash = `have=${have.map(encodeURIComponent).join(",")}`;
        const field = document.querySelector("[data-role='share-link']");
        field.value = link.href;
        field.hidden = false;
        field.select();
        if (navigator.clipboard) navigator.clipboard.writeText(link.href).catch(() => {});
        say("A link to this progress is in the box: anyone who opens it sees the same.");
      } else if (action.dataset.action === "export") {
        const blob = new Blob([JSON.stringify({ have }, null, 2) + "\n"], { type: "application/json" });
        const anchor = element("a", { href: URL.createObjectURL(blob), download: "credpath-progress.json" });
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
        say("Progress saved as credpath-progress.json.");
      } else if (action.dataset.action === "print") {
        window.print();
      }
    });

    /** The page of the competencies list that holds the i-th competency (site.PER_PAGE). */
    const competencyPage = (i) =>
      i < data.competencyPages ? "competencies.html" : `competencies-${Math.floor(i / data.competencyPages) + 1}.html`;

    /** [kind, id, title, page] of every outcome, credential and competency. */
    let index = null;
    function searchIndex() {
      if (index === null) {
        index = [
          ...[...sem.outcomes].sort(byId).map((o) => ["outcome", o.id, o.title, `outcomes/${o.id}.html`]),
          ...[...sem.credentials].sort(byId).map((c) => ["credential", c.id, c.title, `credentials/${c.id}.html`]),
          ...data.competencies.map(([id, title], i) => ["competency", id, title, `${competencyPage(i)}#${id}`]),
        ];
      }
      return index;
    }

    const search = document.querySelector("[data-role='search']");
    if (search) {
      const results = document.querySelector("[data-role='search-results']");
      search.addEventListener("input", () => {
        const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        if (!words.length) {
          results.replaceChildren();
          return;
        }
        const found = searchIndex().filter(([, id, title]) =>
          words.every((w) => id.includes(w) || title.toLowerCase().includes(w))).slice(0, 50);
        results.replaceChildren(...(found.length
          ? found.map(([kind, id, title, href]) =>
              element("li", {}, element("a", { href: root + href }, title), element("span", { class: "meta" }, ` ${kind}`)))
          : [element("li", {}, "No match.")]));
      });
    }

    window.addEventListener("storage", (event) => {
      if (event.key === storeKey) {
        have = readStored();
        update();
      }
    });
    /** What assets/learner.js (the long lists, the pathway map, badges) works with. */
    window.credpathPage = {
      sem,
      root,
      element,
      say,
      state: () => current,
      marked: (id) => have.includes(id),
      toggle,
      credentialItem,
      heldToward,
      hoursText,
      plural,
      earn(ids) {
        have = [...new Set([...have, ...ids])].sort(compareStrings);
        store(have);
        update();
      },
    };
    update();
    performance.mark("credpath-ready"); // the page is usable: bench/bench_site.py reads it
  });
}

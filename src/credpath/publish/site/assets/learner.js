/* credpath learner site: what a page completes in the browser beyond next and plan.
 *
 *  1. Long lists: a page lists the first entries of a long list (what a credential
 *     unlocks, the outcomes it leads to, a stage of the catalog, the credentials that
 *     certify a competency) and ends it with "and N more"; that button lists them all
 *     here, a page at a time with a filter, from the data the site already loaded.
 *  2. The pathway map of an outcome page: each credential of the diagram Graphviz drew
 *     is marked held, can start now or locked (with why), from the learner's progress;
 *     selecting its box marks it earned, its label opens its page; the map pans and
 *     zooms (buttons, a drag, a pinch) on a phone.
 *  3. Bring what you hold: Open Badges 3.0 credentials loaded from files mark the
 *     credentials whose achievement ids are those `credpath export ob3` writes.
 *  4. The "Your pathway" page: per outcome started, what is held, what can start now,
 *     what is locked and why, and the stages left, as `credpath plan` gives them.
 * It uses what assets/credpath.js defines (Semantics, satisfied, firstUnmet, refs, ...)
 * and the page's window.credpathPage. Files are read in this browser; nothing is sent.
 */
"use strict";

const PAGE_SIZE = 50; // entries of a long list shown at a time
const BADGE_BYTES = 5 * 1024 * 1024; // a larger file is not a wallet's export

/** What a credential unlocks (Semantics.unlocks): the usable credentials whose
 * requirements the credential serves (they name it or ask for a level it grants), each
 * with the first such reference, without those holding it guarantees already; those
 * naming it first, then those leading to more outcomes, then by id. */
// mirrors credpath.publish.site.unlocks_in_order
function unlocksInOrder(sem, credentialId) {
  const server = sem.credential.get(credentialId);
  const found = new Map();
  if (!server || !server.usable) return [];
  const guaranteed = sem.guarantees(credentialId).held;
  for (const credential of sem.active) {
    if (credential.id === credentialId || guaranteed.has(credential.id)) continue;
    for (const ref of refs(credential.requires)) {
      if (sem.servers(ref).includes(server)) {
        found.set(credential.id, ref);
        break;
      }
    }
  }
  const order = (id, ref) => [ref.kind === "credential" ? 0 : 1, -sem.credential.get(id).outcomes.length];
  return [...found.entries()].sort(([a, refA], [b, refB]) => {
    const [x, y] = [order(a, refA), order(b, refB)];
    return x[0] - y[0] || x[1] - y[1] || compareStrings(a, b);
  });
}

/** "level 2 (Intermediate)", nothing for a single-level competency. */
// mirrors credpath.publish.site.level_name
function levelName(names, level) {
  if (!names || names.length < 2) return "";
  return level >= 1 && level <= names.length ? `level ${level} (${names[level - 1]})` : `level ${level}`;
}

/** The catalog page's group of a credential (site._stages): its stage, or none. */
function groupOf(sem, credential) {
  const round = sem.data.rounds[credential.index];
  if (round) return `stage-${round}`;
  return credential.usable ? "not-reachable" : "retired";
}

/** Why a learner cannot start a credential yet, as the map says it on hover or focus:
 * "needs sql@2: take Intermediate SQL". */
function whyLocked(sem, credential, state) {
  if (!credential.usable) return credential.status === "draft" ? "a draft, not offered yet" : "retired: no longer offered";
  const leaf = firstUnmet(credential.requires, state);
  if (!leaf || !leaf.kind) return "needs a requirement credpath cannot read";
  const servers = sem.servers(leaf).filter((c) => !state.held.has(c.id));
  const ready = servers.find((c) => satisfied(c.requires, state)) || servers[0];
  if (leaf.kind === "credential") {
    const named = sem.credential.get(leaf.target);
    return `needs ${named ? named.title : leaf.text}${named && !named.usable ? " (no longer offered)" : ""}`;
  }
  return ready ? `needs ${leaf.text}: take ${ready.title}` : `needs ${leaf.text}: no credential grants it`;
}

/** The achievement credentials in a file's text: a credential, a list of them, a
 * presentation, a wallet's export that holds them anywhere, or compact JWS tokens (a
 * signed credential: its payload is read, its signature is not checked). */
function badgeCredentials(text) {
  const found = [];
  const token = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;
  function payload(jws) {
    const part = jws.match(token)[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part + "=".repeat((4 - (part.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" && claims.vc ? claims.vc : claims;
  }
  function walk(value, depth) {
    if (depth > 12 || value === null) return;
    if (typeof value === "string") {
      if (token.test(value.trim())) {
        try {
          walk(payload(value.trim()), depth + 1);
        } catch (error) {
          /* a string shaped like a token that is not one */
        }
      }
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
    } else if (typeof value === "object") {
      if ("credentialSubject" in value) found.push(value);
      else for (const item of Object.values(value)) walk(item, depth + 1);
    }
  }
  const trimmed = text.trim();
  walk(token.test(trimmed) ? trimmed : JSON.parse(trimmed), 0);
  return found;
}

/** The achievements a credential is issued for: [{id, name}], from credentialSubject. */
function achievementsOf(credential) {
  const subjects = Array.isArray(credential.credentialSubject) ? credential.credentialSubject : [credential.credentialSubject];
  return subjects
    .filter((subject) => subject && typeof subject === "object" && subject.achievement)
    .map((subject) => subject.achievement)
    .map((a) => ({ id: typeof a.id === "string" ? a.id : "", name: typeof a.name === "string" ? a.name : "" }));
}

/** The credential id an achievement id names, when it is one `credpath export ob3` wrote. */
function matchAchievement(sem, achievementId) {
  const prefix = sem.data.achievementPrefix;
  if (!achievementId.startsWith(prefix)) return null;
  const id = achievementId.slice(prefix.length);
  return sem.credential.has(id) ? id : null;
}

/** Pan and zoom of the map's SVG by its viewBox: the buttons +, - and "Whole map", a drag
 * (mouse, pen or one finger once zoomed in), a pinch of two fingers. Zoom stays between
 * the whole map and MAX_ZOOM times; the view never leaves the map. Returns dragged(): the
 * last press moved the map, so its click is not a click on a credential. */
const MAX_ZOOM = 8;
function panZoom(figure, svg) {
  const box = svg.viewBox.baseVal;
  const whole = { x: box.x, y: box.y, width: box.width, height: box.height };
  let view = { ...whole };
  const controls = document.createElement("div");
  controls.className = "map-controls";
  const button = (label, text, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.zoom = action;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    controls.append(b);
    return b;
  };
  const zoomIn = button("Zoom in", "+", "in");
  const zoomOut = button("Zoom out", "\u2212", "out");
  button("Whole map", "Whole map", "reset");
  figure.insertBefore(controls, figure.firstChild);
  function set(next) {
    const width = Math.min(whole.width, Math.max(whole.width / MAX_ZOOM, next.width));
    const height = (width * whole.height) / whole.width;
    const x = Math.min(whole.x + whole.width - width, Math.max(whole.x, next.x + (next.width - width) / 2));
    const y = Math.min(whole.y + whole.height - height, Math.max(whole.y, next.y + (next.height - height) / 2));
    view = { x, y, width, height };
    svg.setAttribute("viewBox", `${x} ${y} ${width} ${height}`);
    const zoomed = width < whole.width;
    figure.classList.toggle("map-zoomed", zoomed);
    zoomOut.disabled = !zoomed;
    zoomIn.disabled = width <= whole.width / MAX_ZOOM;
  }
  /** Zoom by `factor` (over 1: closer) about the point (cx, cy) of the map. */
  function zoomBy(factor, cx = view.x + view.width / 2, cy = view.y + view.height / 2) {
    const width = view.width / factor;
    const height = view.height / factor;
    set({ x: cx - ((cx - view.x) * width) / view.width, y: cy - ((cy - view.y) * height) / view.height, width, height });
  }
  const scale = () => view.width / (svg.getBoundingClientRect().width || 1); // map units per pixel
  function at(clientX, clientY) {
    const rect = svg.getBoundingClientRect();
    return [view.x + (clientX - rect.left) * scale(), view.y + (clientY - rect.top) * scale()];
  }
  controls.addEventListener("click", (event) => {
    const action = event.target.closest("[data-zoom]");
    if (!action) return;
    if (action.dataset.zoom === "in") zoomBy(1.5);
    else if (action.dataset.zoom === "out") zoomBy(1 / 1.5);
    else set({ ...whole });
  });
  const pointers = new Map(); // pointerId -> [x, y]
  let moved = 0; // pixels the current press moved the map
  let lastMoved = 0;
  svg.addEventListener("pointerdown", (event) => {
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pointers.size === 1) moved = 0;
  });
  svg.addEventListener("pointermove", (event) => {
    const before = pointers.get(event.pointerId);
    if (!before) return;
    const now = [event.clientX, event.clientY];
    if (pointers.size === 1) {
      const [dx, dy] = [now[0] - before[0], now[1] - before[1]];
      if (view.width < whole.width) {
        set({ ...view, x: view.x - dx * scale(), y: view.y - dy * scale() });
        moved += Math.abs(dx) + Math.abs(dy);
      }
    } else if (pointers.size === 2) {
      const other = [...pointers.entries()].find(([id]) => id !== event.pointerId)[1];
      const apart = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]) || 1;
      const [cx, cy] = at((now[0] + other[0]) / 2, (now[1] + other[1]) / 2);
      zoomBy(apart(now, other) / apart(before, other), cx, cy);
      moved += apart(now, before);
    }
    if (moved > 4 && !svg.hasPointerCapture(event.pointerId)) svg.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, now);
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    if (!pointers.size) lastMoved = moved;
  };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  // a drag that ends over a link must not open it
  svg.addEventListener("click", (event) => {
    if (lastMoved > 4) event.preventDefault();
  }, true);
  set(view);
  return { dragged: () => lastMoved > 4, zoomBy, view: () => ({ ...view }) };
}

if (typeof module !== "undefined") {
  module.exports = { unlocksInOrder, badgeCredentials, achievementsOf, matchAchievement, whyLocked };
}

if (typeof document !== "undefined") {
  document.addEventListener("DOMContentLoaded", () => {
    const page = window.credpathPage;
    if (!page) return;
    const { sem, root, element, say } = page;
    const credentialHref = (id) => `${root}credentials/${encodeURIComponent(id)}.html`;
    const outcomeHref = (id) => `${root}outcomes/${encodeURIComponent(id)}.html`;
    const credentialEntry = (c, note) => ({ href: credentialHref(c.id), title: c.title, note });

    /* -- 1. long lists ------------------------------------------------------------------ */

    /** Every entry of a long list: {href, title, note}, in the page's order. */
    function entries(kind, subject) {
      const unlocked = ([id, ref]) =>
        credentialEntry(sem.credential.get(id), ref.kind === "credential" ? "requires it" : `asks for ${ref.text}`);
      if (kind === "unlocks") return unlocksInOrder(sem, subject).map(unlocked);
      if (kind === "unlocks-toward") { // site.unlock_groups: those leading to one outcome (or none)
        const [credentialId, outcome = ""] = subject.split(" ");
        return unlocksInOrder(sem, credentialId).filter(([id]) => {
          const toward = sem.credential.get(id).outcomes;
          return outcome ? toward.includes(outcome) : toward.length === 0;
        }).map(unlocked);
      }
      if (kind === "leads") {
        return sem.credential.get(subject).outcomes.map((o) => ({ href: outcomeHref(o), title: sem.outcome.get(o).title, note: "" }));
      }
      if (kind === "stage") {
        return [...sem.credentials].sort(byId).filter((c) => groupOf(sem, c) === subject)
          .map((c) => credentialEntry(c, c.type + (c.status ? ` · ${c.status}` : "")));
      }
      const names = (sem.data.competencies.find(([id]) => id === subject) || [])[2];
      return (sem.granters.get(subject) || []).map(([level, c]) => [level, c])
        .sort((a, b) => a[0] - b[0] || byId(a[1], b[1]))
        .map(([level, c]) => credentialEntry(c, levelName(names, level)));
    }

    let lists = 0;
    function expand(button) {
      const all = entries(button.dataset.more, button.dataset.of);
      const list = button.closest("ul");
      const id = `more-${++lists}`;
      const filter = element("input", { id, type: "search", autocomplete: "off" });
      const count = element("p", { class: "meta", "aria-live": "polite" });
      const shown = element("ul", { class: "browse-list" });
      const previous = element("button", { type: "button" }, "Previous");
      const next = element("button", { type: "button" }, "Next");
      let first = 0;
      function draw() {
        const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        const kept = words.length ? all.filter((e) => words.every((w) => e.title.toLowerCase().includes(w))) : all;
        first = Math.max(0, Math.min(first, Math.floor(Math.max(kept.length - 1, 0) / PAGE_SIZE) * PAGE_SIZE));
        const last = Math.min(first + PAGE_SIZE, kept.length);
        shown.replaceChildren(...kept.slice(first, last).map((e) =>
          element("li", {}, element("a", { href: e.href }, e.title), ...(e.note ? [" ", element("span", { class: "meta" }, e.note)] : []))));
        count.textContent = kept.length
          ? `${first + 1}–${last} of ${kept.length}${words.length ? ` matching (of ${all.length})` : ""}`
          : "No match.";
        previous.disabled = first === 0;
        next.disabled = last >= kept.length;
      }
      filter.addEventListener("input", () => {
        first = 0;
        draw();
      });
      previous.addEventListener("click", () => {
        first -= PAGE_SIZE;
        draw();
      });
      next.addEventListener("click", () => {
        first += PAGE_SIZE;
        draw();
      });
      const browser = element("div", { class: "browse", "data-browse": button.dataset.more },
        element("label", { for: id }, `Filter these ${all.length}`), filter, count, shown,
        element("div", { class: "actions" }, previous, next));
      list.replaceWith(browser);
      draw();
      filter.focus();
    }
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-more]");
      if (button) expand(button);
    });

    /* -- 2. the pathway map ------------------------------------------------------------- */

    /* Each credential of the map becomes two controls: its box, a toggle button that marks
     * it earned (Enter or Space when focused; aria-pressed says whether it is marked), and
     * its label, the link to its page. Without the script, the whole box is that link. */
    const SVG = "http://www.w3.org/2000/svg";
    const map = document.querySelector("[data-role='map']");
    const why = document.querySelector("[data-role='map-why']");
    const nodes = map ? [...map.querySelectorAll("g.node")].filter((g) => g.id.startsWith("credential:")) : [];
    const STATES = ["map-held", "map-start", "map-locked"];
    const toggles = new Map(); // node -> its toggle
    for (const g of nodes) {
      const link = g.querySelector("a");
      if (!link) continue;
      const toggle = document.createElementNS(SVG, "g");
      toggle.setAttribute("class", "map-toggle");
      toggle.setAttribute("role", "button");
      toggle.setAttribute("tabindex", "0");
      toggle.dataset.toggle = g.id.slice("credential:".length);
      toggle.append(...[...link.children].filter((child) => child.localName !== "text"));
      const wrapper = link.parentNode === g ? link : link.parentNode;
      g.insertBefore(toggle, wrapper);
      toggles.set(g, toggle);
    }
    function drawMap() {
      const state = page.state();
      if (!map || !state) return;
      const outcome = map.dataset.outcome;
      const derived = sem.derive(outcome, state);
      const stage = new Map();
      (derived ? derived.stages : []).forEach((ids, k) => ids.forEach((id) => stage.set(id, k + 1)));
      for (const g of nodes) {
        const credential = sem.credential.get(g.id.slice("credential:".length));
        const link = g.querySelector("a");
        const toggle = toggles.get(g);
        if (!credential || !link || !toggle) continue;
        let kind;
        let text;
        if (state.held.has(credential.id)) {
          [kind, text] = ["map-held", page.marked(credential.id) ? "earned" : "held (implied)"];
        } else if (credential.usable && satisfied(credential.requires, state)) {
          [kind, text] = ["map-start", "you can start it now"];
        } else {
          [kind, text] = ["map-locked", `locked: ${whyLocked(sem, credential, state)}`];
        }
        if (stage.has(credential.id)) text += `; stage ${stage.get(credential.id)} of your plan`;
        g.classList.remove(...STATES, "map-plan");
        g.classList.add(kind);
        if (stage.has(credential.id)) g.classList.add("map-plan");
        g.dataset.state = kind.slice(4);
        const label = `${credential.title}: ${text}`;
        toggle.setAttribute("aria-label", label);
        toggle.setAttribute("aria-pressed", String(page.marked(credential.id)));
        toggle.dataset.why = `${label} (select to mark it ${page.marked(credential.id) ? "not earned" : "earned"})`;
        link.setAttribute("aria-label", `${credential.title}: open its page`);
        link.dataset.why = `${label} (opens its page)`;
        link.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:title", label);
      }
      const goal = map.querySelector(`g.node[id="outcome:${CSS.escape(outcome)}"]`);
      if (goal) goal.classList.toggle("map-held", satisfied(sem.outcome.get(outcome).requires, state));
    }
    const svg = map && map.querySelector("svg");
    if (map && svg) {
      map.classList.add("map-live");
      const show = (event) => {
        const control = event.target.closest && event.target.closest("[data-why]");
        if (control && why) why.textContent = control.dataset.why;
      };
      map.addEventListener("focusin", show);
      map.addEventListener("mouseover", show);
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", `Pathway map: ${nodes.length} credentials, each a button that marks it earned and a link to its page`);
      const zoom = panZoom(map, svg);
      map.addEventListener("click", (event) => {
        const toggle = event.target.closest(".map-toggle");
        if (!toggle || zoom.dragged()) return;
        page.toggle(toggle.dataset.toggle);
        show({ target: toggle });
      });
      map.addEventListener("keydown", (event) => {
        const toggle = event.target.closest(".map-toggle");
        if (!toggle || (event.key !== "Enter" && event.key !== " ")) return;
        event.preventDefault(); // Space would scroll the page
        page.toggle(toggle.dataset.toggle);
        toggle.focus();
        show({ target: toggle });
      });
      drawMap();
      document.addEventListener("credpath:update", drawMap);
    }

    /* -- 4. your pathway ----------------------------------------------------------------- */

    /* The "Your pathway" page: per outcome, what the learner holds toward it, and the plan
     * that `credpath plan` gives, stage by stage, each credential marked "can start now" or
     * locked with why. The outcomes started (a credential held that leads to them) come
     * first, the nearest first (fewest hours left, then fewest credentials, then by id);
     * with none started, every outcome, nearest first. The first DETAILED are drawn in
     * full, the others as one line each with a link to their page. */
    const pathway = document.querySelector("[data-role='pathway']");
    const DETAILED = 10;
    function closeness(outcomeId, state) {
      const derived = sem.derive(outcomeId, state);
      const held = page.heldToward(outcomeId, state);
      return {
        id: outcomeId,
        derived,
        held,
        started: held.length > 0,
        key: derived === null ? [Infinity, Infinity] : [derived.hours, derived.stages.flat().length],
      };
    }
    function summary(entry, state) {
      const { derived } = entry;
      const title = sem.outcome.get(entry.id).title;
      if (derived === null) return `${title} cannot be reached from here: it ${sem.whyNot(entry.id, state)}.`;
      if (derived.stages.length === 0) return `You meet ${title}: nothing left to earn.`;
      const count = derived.stages.flat().length;
      return `${page.plural(count, "credential")}, ${page.hoursText(derived.hours)} to go in ${page.plural(derived.stages.length, "stage")}` +
        (derived.optimal ? "." : " (many options: a good pathway, not proven the shortest).");
    }
    function drawOutcome(entry, state, index) {
      const heading = `pathway-${index}`;
      const { derived } = entry;
      const parts = [
        element("h3", { id: heading }, element("a", { href: outcomeHref(entry.id) }, sem.outcome.get(entry.id).title)),
        element("p", { "data-role": "summary", class: derived === null ? "alert" : derived.stages.length ? "meta" : "done" }, summary(entry, state)),
      ];
      if (entry.held.length) {
        parts.push(element("p", { "data-role": "held-toward" }, "You hold toward it: ",
          entry.held.map((c) => c.title).sort(compareStrings).join(", "), "."));
      }
      if (derived !== null && derived.stages.length) {
        const stagesList = element("ol", { class: "stages" });
        derived.stages.forEach((ids, k) => {
          const items = ids.map((id) => {
            const credential = sem.credential.get(id);
            const open = satisfied(credential.requires, state);
            const note = open ? "can start now" : `locked: ${whyLocked(sem, credential, state)}`;
            const item = page.credentialItem(id, state, [" ", element("span", { class: open ? "door" : "locked" }, note)]);
            item.dataset.state = open ? "start" : "locked";
            return item;
          });
          stagesList.append(element("li", { "data-stage": String(k + 1), class: "stage" },
            element("h4", {}, `Stage ${k + 1}`), element("ul", {}, ...items)));
        });
        parts.push(stagesList);
      }
      return element("section", { class: "pathway-outcome", "data-outcome": entry.id, "aria-labelledby": heading }, ...parts);
    }
    function drawPathway() {
      const state = page.state();
      if (!pathway || !state) return;
      const entries = sem.outcomes.map((o) => closeness(o.id, state));
      entries.sort((a, b) => (b.started - a.started) || a.key[0] - b.key[0] || a.key[1] - b.key[1] || compareStrings(a.id, b.id));
      const started = entries.filter((e) => e.started);
      const shown = started.length ? started : entries;
      const note = document.querySelector("[data-role='pathway-note']");
      if (note) {
        note.textContent = started.length
          ? `The ${page.plural(started.length, "outcome")} you have started, the nearest first.`
          : "You have not started any outcome yet: every outcome, the nearest first.";
      }
      const detailed = shown.slice(0, DETAILED).map((e, i) => drawOutcome(e, state, i + 1));
      const rest = entries.filter((e) => !detailed.some((d) => d.dataset.outcome === e.id));
      const others = rest.length
        ? [element("h3", {}, started.length ? "Other outcomes" : "More outcomes"),
           element("ul", { class: "pathway-rest" }, ...rest.map((e) => element("li", { "data-outcome": e.id },
             element("a", { href: outcomeHref(e.id) }, sem.outcome.get(e.id).title), " ",
             element("span", { class: "meta" }, summary(e, state)))))]
        : [];
      pathway.replaceChildren(...detailed, ...others);
    }
    if (pathway) {
      drawPathway();
      document.addEventListener("credpath:update", drawPathway);
    }

    /* -- 3. bring what you hold ---------------------------------------------------------- */

    const picker = document.querySelector("[data-role='badges']");
    const report = document.querySelector("[data-role='badges-result']");
    if (picker && report) {
      picker.addEventListener("change", async () => {
        const matched = new Set();
        const unmatched = [];
        for (const file of picker.files) {
          if (file.size > BADGE_BYTES) {
            unmatched.push(`${file.name}: larger than 5 MB, not read`);
            continue;
          }
          let credentials;
          try {
            credentials = badgeCredentials(await file.text());
          } catch (error) {
            unmatched.push(`${file.name}: not JSON nor a signed credential`);
            continue;
          }
          if (!credentials.length) unmatched.push(`${file.name}: holds no credential`);
          for (const credential of credentials) {
            const achievements = achievementsOf(credential);
            if (!achievements.length) unmatched.push(`${file.name}: a credential with no achievement`);
            for (const achievement of achievements) {
              const id = matchAchievement(sem, achievement.id);
              if (id) matched.add(id);
              else unmatched.push(`${achievement.name || achievement.id || "an achievement with no id"} (${file.name})`);
            }
          }
        }
        const ids = [...matched].sort(compareStrings);
        page.earn(ids);
        report.replaceChildren(
          element("p", { "data-role": "badges-matched" }, ids.length
            ? `Marked as held: ${ids.map((id) => sem.credential.get(id).title).join(", ")}.`
            : "No credential of this site matched."),
          ...(unmatched.length
            ? [element("p", {}, "Not in this site's catalog:"),
               element("ul", { "data-role": "badges-unmatched" }, ...unmatched.map((text) => element("li", {}, text)))]
            : []),
        );
        say(`${ids.length} credential${ids.length === 1 ? "" : "s"} marked from your badges; ${unmatched.length} not matched.`);
        picker.value = "";
      });
    }
  });
}

/* credpath learner site: what a page completes in the browser beyond next and plan.
 *
 *  1. Long lists: a page lists the first entries of a long list (what a credential
 *     unlocks, the outcomes it leads to, a stage of the catalog, the credentials that
 *     certify a competency) and ends it with "and N more"; that button lists them all
 *     here, a page at a time with a filter, from the data the site already loaded.
 *  2. The pathway map of an outcome page: each credential of the diagram Graphviz drew
 *     is marked held, can start now or locked (with why), from the learner's progress.
 *  3. Bring what you hold: Open Badges 3.0 credentials loaded from files mark the
 *     credentials whose achievement ids are those `credpath export ob3` writes.
 * It uses what assets/credpath.js defines (Semantics, satisfied, firstUnmet, refs, ...)
 * and the page's window.credpathPage. Files are read in this browser; nothing is sent.
 */
"use strict";

const PAGE_SIZE = 50; // entries of a long list shown at a time
const BADGE_BYTES = 5 * 1024 * 1024; // a larger file is not a wallet's export

/** site.unlocks_in_order over Semantics.unlocks: the usable credentials whose requirements
 * the credential serves (they name it or ask for a level it grants), each with the first
 * such reference, without those holding it guarantees already; those naming it first,
 * then those leading to more outcomes, then by id. */
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

/** site.level_name: "level 2 (Intermediate)", nothing for a single-level competency. */
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
      if (kind === "unlocks") {
        return unlocksInOrder(sem, subject).map(([id, ref]) =>
          credentialEntry(sem.credential.get(id), ref.kind === "credential" ? "requires it" : `asks for ${ref.text}`));
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

    const map = document.querySelector("[data-role='map']");
    const why = document.querySelector("[data-role='map-why']");
    const nodes = map ? [...map.querySelectorAll("g.node")].filter((g) => g.id.startsWith("credential:")) : [];
    const STATES = ["map-held", "map-start", "map-locked"];
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
        if (!credential || !link) continue;
        let kind;
        let text;
        if (state.held.has(credential.id)) {
          [kind, text] = ["map-held", "held"];
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
        link.setAttribute("aria-label", label);
        link.setAttribute("data-why", label);
        link.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:title", label);
      }
      const goal = map.querySelector(`g.node[id="outcome:${CSS.escape(outcome)}"]`);
      if (goal) goal.classList.toggle("map-held", satisfied(sem.outcome.get(outcome).requires, state));
    }
    if (map) {
      map.classList.add("map-live");
      const show = (event) => {
        const link = event.target.closest && event.target.closest("a[data-why]");
        if (link && why) why.textContent = link.dataset.why;
      };
      map.addEventListener("focusin", show);
      map.addEventListener("mouseover", show);
      const svg = map.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "group");
        svg.setAttribute("aria-label", `Pathway map: ${nodes.length} credentials, each a link to its page`);
      }
      drawMap();
      document.addEventListener("credpath:update", drawMap);
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

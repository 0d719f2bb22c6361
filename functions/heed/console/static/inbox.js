// Inbox: the active tasks, soonest deadline first, with the filters a person on call needs.
// Filters live in the address (#/inbox?view=mine&overdue=1), so the back button and a shared link keep them.

import { get } from "./server.js";
import { focusHeading, go, isCurrent, onLeave } from "./app.js";
import { clear, field, h, select } from "./dom.js";
import { countdown, platformName, words } from "./format.js";

const PRIORITIES = ["P1", "P2", "P3", "P4"];

export async function renderInbox(main, r, token) {
  const q = r.query;
  const params = new URLSearchParams();
  for (const name of ["view", "team", "priority", "platform", "overdue", "waiting", "q"]) {
    if (q.get(name)) params.set(name, q.get(name));
  }
  const heading = h("h1", {}, "Inbox");
  const listRegion = h("section", { "aria-labelledby": "tasks-title" });
  main.append(heading);
  const data = await get(`inbox?${params}`);
  if (!isCurrent(token)) return;
  const skew = Date.parse(data.now) - Date.now(); // count down from the server's clock
  main.append(h("div", { class: "inbox-layout" }, filters(q, data.counts || {}), listRegion));
  drawList(listRegion, data, q, skew);
  focusHeading();
  const ticker = setInterval(() => tick(listRegion, skew), 30_000);
  const poll = setInterval(async () => {
    if (document.hidden) return;
    try {
      const fresh = await get(`inbox?${params}`);
      if (isCurrent(token) && !listRegion.contains(document.activeElement)) {
        drawList(listRegion, fresh, q, Date.parse(fresh.now) - Date.now());
      }
    } catch {
      /* the next poll tries again; a signed-out session is caught by the next navigation */
    }
  }, 60_000);
  onLeave(() => {
    clearInterval(ticker);
    clearInterval(poll);
  });
}

function withQuery(q, changes) {
  const next = new URLSearchParams(q);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === "" || value === undefined) next.delete(name);
    else next.set(name, value);
  }
  const text = next.toString();
  return `#/inbox${text ? `?${text}` : ""}`;
}

function toggle(label, count, pressed, hash) {
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", "aria-pressed": pressed ? "true" : "false", onclick: () => go(hash) },
      `${label} (${count ?? 0})`,
    ),
  );
}

function filters(q, counts) {
  const view = q.get("view") || "all";
  const chips = h(
    "ul",
    { class: "chips", "aria-label": "Views" },
    toggle("All", counts.all, view === "all", withQuery(q, { view: null })),
    toggle("Mine", counts.mine, view === "mine", withQuery(q, { view: "mine" })),
    toggle("Unassigned", counts.unassigned, view === "unassigned", withQuery(q, { view: "unassigned" })),
    toggle("Overdue", counts.overdue, q.get("overdue") === "1", withQuery(q, { overdue: q.get("overdue") === "1" ? null : "1" })),
    toggle("Waiting", counts.waiting, q.get("waiting") === "1", withQuery(q, { waiting: q.get("waiting") === "1" ? null : "1" })),
  );
  const counted = (kind, names) => [
    ["", `Any ${kind}`],
    ...names.map((name) => [name, `${words(name)} (${(counts[kind] || {})[name] ?? 0})`]),
  ];
  const priority = select("priority", counted("priority", PRIORITIES), q.get("priority") || "");
  const platform = select("platform", counted("platform", Object.keys(counts.platform || {}).sort()), q.get("platform") || "");
  const team = select("team", counted("team", Object.keys(counts.team || {}).sort()), q.get("team") || "");
  for (const [name, control] of [["priority", priority], ["platform", platform], ["team", team]]) {
    control.addEventListener("change", () => go(withQuery(q, { [name]: control.value })));
  }
  const search = h("input", { type: "search", name: "q", value: q.get("q") || "", autocomplete: "off", enterkeyhint: "search" });
  const form = h(
    "form",
    { role: "search", class: "search" },
    field("Search customer, text or reference", search),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(withQuery(q, { q: search.value.trim() }));
  });
  return h(
    "section",
    { "aria-label": "Filters", class: "card" },
    form,
    chips,
    h(
      "details",
      {
        class: "more-filters",
        open: Boolean(q.get("priority") || q.get("platform") || q.get("team")) || matchMedia("(min-width: 900px)").matches,
      },
      h("summary", {}, "Priority, platform, team"),
      h("div", { class: "filters" }, field("Priority", priority), field("Platform", platform), field("Team", team)),
    ),
  );
}

function drawList(region, data, q, skew) {
  clear(region);
  const tasks = data.tasks || [];
  const counts = data.counts || {};
  const filtered = [...new URLSearchParams(q).keys()].length > 0;
  region.append(
    h("h2", { id: "tasks-title" }, filtered ? "Matching tasks" : "Open tasks"),
    h(
      "p",
      { class: "counts" },
      `${tasks.length} shown of ${counts.all ?? tasks.length} active · ${counts.overdue ?? 0} overdue · ${counts.unassigned ?? 0} unassigned`,
    ),
  );
  if (!tasks.length) {
    region.append(h("p", { class: "card" }, filtered ? "No task matches these filters." : "Nothing waits for an answer."));
  } else {
    region.append(h("ul", { class: "tasks" }, tasks.map((task) => row(task, skew))));
  }
}

function clockFor(task, skew) {
  const sla = task.sla || {};
  const due = sla.due || (task.first_response_at ? task.resolution_due : task.first_response_due);
  const which = sla.clock === "resolution" || (!sla.clock && task.first_response_at) ? "resolution" : "first response";
  const c = countdown(due, Date.now() + skew);
  return { ...c, which };
}

function row(task, skew) {
  const c = clockFor(task, skew);
  const clock = h("span", { class: `clock ${c.state}`, dataset: { due: (task.sla && task.sla.due) || "" } }, c.text);
  return h(
    "li",
    {},
    h(
      "a",
      { class: `task-link ${c.state}`, href: `#/tasks/${encodeURIComponent(task.task_id)}`, dataset: { task: task.task_id } },
      h(
        "span",
        { class: "top" },
        h("span", { class: "who-line" }, task.author_display || task.customer_id || "Customer"),
        h("span", { class: `badge p-${String(task.priority).toLowerCase()}` }, task.priority),
      ),
      h("span", { class: "excerpt" }, task.excerpt || ""),
      h(
        "span",
        { class: "meta" },
        clock,
        h("span", {}, c.which),
        h("span", {}, `${platformName(task.platform)} ${task.visibility === "private" ? "(private)" : "(public)"}`),
        h("span", {}, words(task.status)),
        h("span", {}, task.assignee ? task.assignee : "unassigned"),
        task.team ? h("span", {}, task.team) : null,
        h("span", { class: "ref" }, task.task_id),
      ),
    ),
  );
}

function tick(region, skew) {
  for (const el of region.querySelectorAll(".clock[data-due]")) {
    if (!el.dataset.due) continue;
    const c = countdown(el.dataset.due, Date.now() + skew);
    el.textContent = c.text;
    el.className = `clock ${c.state}`;
  }
}

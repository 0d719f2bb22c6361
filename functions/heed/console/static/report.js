// Report: the figures of `heed report` for a chosen period, with bar charts drawn as inline SVG
// (no library; each chart also says its numbers in its accessible name).

import { get } from "./server.js";
import { focusHeading, go, isCurrent } from "./app.js";
import { field, h, svg } from "./dom.js";
import { isoDate, words } from "./format.js";

const DAY = 86_400_000;

export async function renderReport(main, r, token) {
  const until = r.query.get("until") || isoDate(Date.now());
  const since = r.query.get("since") || isoDate(Date.parse(until) - 7 * DAY);
  main.append(h("h1", {}, "Report"), periodForm(since, until));
  const data = await get(`report?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`);
  if (!isCurrent(token)) return;
  const f = data.figures || data;
  main.append(
    h("p", { class: "muted", id: "report-period" }, `From ${String(data.since || since).slice(0, 10)} to ${String(data.until || until).slice(0, 10)}`),
    tiles(f),
    h(
      "div",
      { class: "figures charts" },
      chart("Mentions by platform", Object.entries(f.volume_by_platform || {})),
      chart("Mentions by intent", Object.entries(f.volume_by_intent || {})),
      chart(
        "Response times (minutes)",
        [
          ["first response, median", f.first_response && f.first_response.median_minutes],
          ["first response, p90", f.first_response && f.first_response.p90_minutes],
          ["resolution, median", f.resolution && f.resolution.median_minutes],
          ["resolution, p90", f.resolution && f.resolution.p90_minutes],
        ].filter(([, v]) => v !== null && v !== undefined),
      ),
      chart(
        "Targets met (%)",
        [
          ["SLA met", f.sla_attainment_pct],
          ["acknowledged ≤ 5 min", f.acknowledged_within_5_min_pct],
          ["first response SLA", f.first_response_sla_pct],
          ["resolution SLA", f.resolution_sla_pct],
        ].filter(([, v]) => v !== null && v !== undefined),
        100,
      ),
      chart("Outcomes", Object.entries(f.outcomes || {})),
      chart(
        "Sentiment (% of mentions)",
        Object.entries(f.sentiment_mix || {}).map(([k, v]) => [k, Math.round(Number(v) * 1000) / 10]),
        100,
      ),
    ),
  );
  focusHeading();
}

function periodForm(since, until) {
  const from = h("input", { type: "date", name: "since", value: since, required: true });
  const to = h("input", { type: "date", name: "until", value: until, required: true });
  const form = h(
    "form",
    { class: "card", "aria-label": "Period" },
    h("div", { class: "row period" }, field("From", from), field("To", to)),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Show"),
      [7, 30, 90].map((days) =>
        h("button", { type: "button", onclick: () => go(`#/report?since=${isoDate(Date.now() - days * DAY)}&until=${isoDate(Date.now())}`) }, `Last ${days} days`),
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(`#/report?since=${from.value}&until=${to.value}`);
  });
  return form;
}

function show(value, suffix = "") {
  return value === null || value === undefined ? "—" : `${value}${suffix}`;
}

function tiles(f) {
  const tile = (label, value, id) => h("div", { class: "figure", dataset: { figure: id } }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
  return h(
    "section",
    { "aria-label": "Figures", class: "figures", id: "figures" },
    tile("mentions", show(f.mentions), "mentions"),
    tile("tasks opened", show(f.tasks_opened), "tasks_opened"),
    tile("open now", show(f.open_tasks), "open_tasks"),
    tile("overdue now", show(f.overdue_tasks), "overdue_tasks"),
    tile("SLA met", show(f.sla_attainment_pct, " %"), "sla_attainment_pct"),
    tile("acknowledged ≤ 5 min", show(f.acknowledged_within_5_min_pct, " %"), "acknowledged_within_5_min_pct"),
    tile("first response, median", show(f.first_response && f.first_response.median_minutes, " min"), "first_response_median"),
    tile("resolved (public / private)", `${show(f.public_resolutions)} / ${show(f.private_resolutions)}`, "resolutions"),
    f.csat_responses ? tile("CSAT (1-5)", show(f.csat_average), "csat_average") : null,
  );
}

/** A horizontal bar chart: one row per [label, value]; max fixes the scale (e.g. 100 for percentages). */
function chart(title, entries, max = null) {
  const rows = entries.map(([label, value]) => [words(label), Number(value) || 0]);
  const top = max ?? Math.max(1, ...rows.map(([, v]) => v));
  const rowHeight = 26;
  const labelWidth = 150;
  const width = 360;
  const barSpace = width - labelWidth - 50;
  const height = Math.max(rowHeight, rows.length * rowHeight) + 8;
  const summary = rows.length ? rows.map(([l, v]) => `${l} ${v}`).join(", ") : "no data";
  const picture = svg(
    "svg",
    { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}: ${summary}` },
    svg("line", { class: "axis", x1: labelWidth, y1: 0, x2: labelWidth, y2: height, stroke: "#c9ced8" }),
    rows.map(([label, value], i) => {
      const y = 4 + i * rowHeight;
      const w = Math.max(value > 0 ? 2 : 0, (value / top) * barSpace);
      return [
        svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end" }, label.length > 24 ? `${label.slice(0, 23)}…` : label),
        svg("rect", { class: "bar-a", x: labelWidth, y, width: w.toFixed(1), height: rowHeight - 8, rx: 3 }),
        svg("text", { x: labelWidth + w + 4, y: y + 15 }, String(value)),
      ];
    }),
  );
  return h("figure", { class: "figure chart-box" }, h("figcaption", { class: "label" }, title), rows.length ? picture : h("p", { class: "muted" }, "No data for this period."));
}

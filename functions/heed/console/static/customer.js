// Customer: every identity and thread, links across platforms (with suggestions), export and forget.
// Linking, export and forget are for leads; the server refuses them to agents (403) whatever the page shows.

import { ApiError, currentUser, get, post } from "./server.js";
import { announce, focusHeading, go, isCurrent } from "./app.js";
import { append, clear, h } from "./dom.js";
import { platformName, when, words } from "./format.js";

export async function renderCustomer(main, r, token) {
  const id = r.id;
  const data = await get(`customers/${encodeURIComponent(id)}`);
  if (!isCurrent(token)) return;
  draw(main, id, data);
  focusHeading();
}

function problemBox() {
  return h("div", { class: "error", role: "alert", hidden: true });
}

function fail(box, error) {
  box.hidden = false;
  box.textContent = error instanceof ApiError ? error.body.reason || error.message : "Heed could not be reached.";
}

async function reload(main, id) {
  const data = await get(`customers/${encodeURIComponent(id)}`);
  draw(main, id, data);
}

function draw(main, id, data) {
  const lead = Boolean((currentUser() || {}).lead);
  const problem = problemBox();
  clear(main);
  const identity = (i, action) => {
    const label = `${platformName(i.platform)} · ${i.display || i.author_id}`;
    let button = null;
    if (lead && action) {
      button = h("button", { type: "button", class: action === "unlink" ? "danger" : "" }, action === "unlink" ? "Unlink" : "Link");
      button.setAttribute("aria-label", `${action === "unlink" ? "Unlink" : "Link"} ${label}`);
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await post(`customers/${encodeURIComponent(id)}/${action}`, { platform: i.platform, author_id: i.author_id });
          announce(action === "unlink" ? "Identity unlinked" : "Identity linked");
          await reload(main, id);
        } catch (error) {
          fail(problem, error);
          button.disabled = false;
        }
      });
    }
    return h("li", { class: "row" }, h("span", {}, label, i.because ? h("span", { class: "muted" }, ` (${i.because})`) : null), button);
  };
  append(main, [
    h("p", { class: "muted" }, h("a", { href: "#/inbox" }, "← Inbox")),
    h("h1", {}, `Customer ${data.customer_id || id}`),
    problem,
    h(
      "section",
      { class: "card", "aria-labelledby": "ids-title" },
      h("h2", { id: "ids-title" }, "Identities"),
      h("ul", { class: "history" }, (data.identities || []).map((i) => identity(i, i.linked ? "unlink" : null))),
    ),
    (data.suggestions || []).length
      ? h(
          "section",
          { class: "card", "aria-labelledby": "sug-title" },
          h("h2", { id: "sug-title" }, "Maybe the same person"),
          h("ul", { class: "history" }, data.suggestions.map((s) => identity(s, "link"))),
          lead ? null : h("p", { class: "muted" }, "A lead can link these identities."),
        )
      : null,
    h(
      "section",
      { class: "card", "aria-labelledby": "threads-title" },
      h("h2", { id: "threads-title" }, "Threads"),
      h(
        "ul",
        { class: "history" },
        (data.threads || []).map((t) =>
          h(
            "li",
            {},
            `${platformName(t.platform)} ${t.visibility || ""}${t.last_at ? ` · last ${when(t.last_at)}` : ""} · `,
            t.task_id ? h("a", { href: `#/tasks/${encodeURIComponent(t.task_id)}` }, `${t.task_id} (${words(t.status || "")})`) : h("span", { class: "muted" }, "no task"),
          ),
        ),
      ),
    ),
    lead ? privacy(main, id) : null,
  ]);
}

function privacy(main, id) {
  const problem = problemBox();
  const exportButton = h("button", { type: "button", id: "export" }, "Export (JSON)");
  exportButton.addEventListener("click", async () => {
    exportButton.disabled = true;
    try {
      const data = await get(`customers/${encodeURIComponent(id)}/export`);
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const link = h("a", { href: URL.createObjectURL(blob), download: `customer-${id}.json` }, "download");
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      announce("Export downloaded");
    } catch (error) {
      fail(problem, error);
    } finally {
      exportButton.disabled = false;
    }
  });
  const confirm = h("input", { type: "checkbox", id: "forget-confirm" });
  const forget = h("button", { type: "submit", class: "danger", id: "forget" }, "Forget this customer");
  const form = h(
    "form",
    { "aria-label": "Forget" },
    h("div", { class: "check" }, confirm, h("label", { for: "forget-confirm" }, "I understand: every message, identity and task of this customer is erased.")),
    h("div", { class: "actions" }, forget),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!confirm.checked) {
      fail(problem, new ApiError(400, { reason: "Tick the box to confirm first." }));
      confirm.focus();
      return;
    }
    forget.disabled = true;
    try {
      await post(`customers/${encodeURIComponent(id)}/forget`, { confirm: true });
      announce("Customer forgotten");
      go("#/inbox");
    } catch (error) {
      fail(problem, error);
      forget.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "privacy-title" },
    h("h2", { id: "privacy-title" }, "Privacy (leads)"),
    h("div", { class: "actions" }, exportButton),
    form,
    problem,
  );
}

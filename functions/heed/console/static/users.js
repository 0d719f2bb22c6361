// People (leads only): who can sign in, invite someone (Cognito e-mails the invitation), remove.
// The same as `heed users add|list|remove`; the server refuses it to agents (403).

import { ApiError, currentUser, del, get, post } from "./server.js";
import { announce, focusHeading, isCurrent } from "./app.js";
import { append, clear, field, h, select } from "./dom.js";
import { words } from "./format.js";

const STATUS = { FORCE_CHANGE_PASSWORD: "invited", CONFIRMED: "active", RESET_REQUIRED: "must reset password" };

export async function renderUsers(main, r, token) {
  main.append(h("h1", {}, "People"));
  if (!(currentUser() || {}).lead) {
    main.append(h("p", {}, "Only a lead can see and invite people."));
    focusHeading();
    return;
  }
  const listRegion = h("section", { class: "card", "aria-labelledby": "people-title" });
  main.append(listRegion, inviteForm(() => draw(listRegion)));
  await draw(listRegion, token);
  focusHeading();
}

async function draw(region, token = null) {
  const data = await get("users");
  if (token !== null && !isCurrent(token)) return;
  clear(region);
  const problem = h("div", { class: "error", role: "alert", hidden: true });
  const me = (currentUser() || {}).email;
  append(region, [
    h("h2", { id: "people-title" }, "Who can sign in"),
    h(
      "div",
      { class: "scroll" },
      h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "E-mail"), h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Group"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
      h(
        "tbody",
        {},
        (data.users || []).map((u) => {
          let remove = null;
          if (u.email !== me) {
            remove = h("button", { type: "button", class: "danger", "aria-label": `Remove ${u.email}` }, "Remove");
            remove.addEventListener("click", async () => {
              remove.disabled = true;
              try {
                await del(`users/${encodeURIComponent(u.email)}`);
                announce(`${u.email} removed`);
                await draw(region);
              } catch (error) {
                problem.hidden = false;
                problem.textContent = error instanceof ApiError ? error.body.reason || error.message : "Heed could not be reached.";
                remove.disabled = false;
              }
            });
          }
          return h("tr", {}, h("td", {}, u.email), h("td", {}, u.name || ""), h("td", {}, (u.groups || []).join(", ")), h("td", {}, u.enabled === false ? "disabled" : STATUS[u.status] || words(String(u.status || "").toLowerCase())), h("td", {}, remove));
        }),
      ),
    ),
    ),
    problem,
  ]);
}

function inviteForm(refresh) {
  const email = h("input", { type: "email", name: "email", autocomplete: "off", required: true });
  const name = h("input", { type: "text", name: "name", autocomplete: "off" });
  const group = select("group", [["agent", "Agent"], ["lead", "Lead"]], "agent");
  const problem = h("div", { class: "error", role: "alert", hidden: true });
  const button = h("button", { type: "submit", class: "primary", id: "invite" }, "Invite");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "invite-title" },
    h("h2", { id: "invite-title" }, "Invite someone"),
    h("div", { class: "row" }, field("E-mail", email), field("Name", name), field("Group", group)),
    h("p", { class: "hint" }, "Cognito e-mails them a temporary password; their first sign-in asks for their own."),
    problem,
    h("div", { class: "actions" }, button),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    problem.hidden = true;
    try {
      await post("users", { email: email.value.trim(), name: name.value.trim(), group: group.value });
      announce(`${email.value.trim()} invited`);
      email.value = "";
      name.value = "";
      await refresh();
    } catch (error) {
      problem.hidden = false;
      problem.textContent = error instanceof ApiError ? error.body.reason || error.message : "Heed could not be reached.";
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

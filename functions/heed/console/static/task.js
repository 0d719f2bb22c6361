// Task: the customer's whole conversation, the clocks, triage and history, and everything a person
// does to it. The primary action (claim) is one tap and sits first; the reply is checked by the
// server before anything is sent, and its refusals are shown beside the text.

import { ApiError, currentUser, get, post } from "./server.js";
import { announce, focusHeading, isCurrent, onLeave } from "./app.js";
import { clear, field, h, select, uid } from "./dom.js";
import { ago, countdown, parseTime, platformName, when, words } from "./format.js";

const drafts = new Map(); // task id → {text, template, private}: kept across re-renders of the page

const DONE = new Set(["resolved", "closed"]);

export async function renderTask(main, r, token) {
  const taskId = r.id;
  const state = { taskId, token, main, data: null, templates: [] };
  await load(state, true);
  const poll = setInterval(() => checkNewer(state), 30_000);
  onLeave(() => clearInterval(poll));
}

async function load(state, first = false) {
  const [data, templates] = await Promise.all([
    get(`tasks/${encodeURIComponent(state.taskId)}`),
    state.templates.length ? Promise.resolve({ templates: state.templates }) : get(`tasks/${encodeURIComponent(state.taskId)}/templates`).catch(() => ({ templates: [] })),
  ]);
  if (!isCurrent(state.token)) return;
  state.data = data;
  state.templates = templates.templates || [];
  state.skew = Date.parse(data.now) - Date.now();
  const focusedId = document.activeElement && document.activeElement.id;
  draw(state);
  if (first) focusHeading();
  else if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
  else {
    // the control is gone (Claim once claimed): keep the keyboard at the task's state, not the page top
    const bar = document.getElementById("claim-bar");
    bar.setAttribute("tabindex", "-1");
    bar.focus();
  }
}

async function checkNewer(state) {
  if (!state.data || document.hidden) return;
  try {
    const fresh = await get(`tasks/${encodeURIComponent(state.taskId)}`);
    if (!isCurrent(state.token)) return;
    const seen = parseTime(state.data.last_customer_message_at ?? state.data.task.last_customer_message_at);
    const latest = parseTime(fresh.last_customer_message_at ?? fresh.task.last_customer_message_at);
    if (latest !== null && (seen === null || latest > seen)) newerWarning(state, latest);
  } catch {
    /* the next check tries again */
  }
}

function newerWarning(state, at) {
  const box = document.getElementById("newer");
  if (!box || !box.hidden) return;
  clear(box);
  box.append(
    `The customer wrote again ${ago(new Date(at).toISOString(), Date.now())}. Read it before you send.`,
    " ",
    h("button", { type: "button", class: "link", onclick: () => load(state) }, "Show the new message"),
  );
  box.hidden = false;
}

async function act(state, button, problem, path, body, done) {
  button.disabled = true;
  problem.hidden = true;
  try {
    const answer = await post(`tasks/${encodeURIComponent(state.taskId)}/${path}`, body);
    announce(done);
    await load(state);
    return answer;
  } catch (error) {
    showProblem(problem, error);
    return null;
  } finally {
    button.disabled = false;
  }
}

function problemBox() {
  return h("div", { class: "error", role: "alert", hidden: true });
}

function showProblem(box, error) {
  clear(box);
  box.hidden = false;
  if (!(error instanceof ApiError)) {
    box.append("Heed could not be reached. Nothing was changed; try again.");
    return;
  }
  const b = error.body;
  box.append(b.reason || b.error || error.message);
  if (b.retry_after) box.append(` Try again in ${b.retry_after} s.`);
  if (Array.isArray(b.reasons) && b.reasons.length) {
    box.append(h("ul", {}, b.reasons.map((reason) => h("li", {}, reason))));
  }
}

function draw(state) {
  const { data, main } = state;
  const task = data.task;
  const me = currentUser() || {};
  clear(main);
  const title = task.author_display || task.customer_id || "Customer";
  main.append(
    h("p", { class: "muted" }, h("a", { href: "#/inbox" }, "← Inbox")),
    h("h1", {}, `${title} · ${task.task_id}`),
    headlineClock(state, task),
    h(
      "p",
      { class: "meta" },
      h("span", { class: `badge p-${String(task.priority).toLowerCase()}` }, task.priority),
      ` ${platformName(task.platform)} · ${words(task.visibility)} · ${words(task.status)} · `,
      task.assignee ? `held by ${task.assignee}` : "unassigned",
      task.vip ? " · VIP" : "",
      parseTime(task.snoozed_until) > Date.now() + state.skew ? ` · snoozed until ${when(task.snoozed_until)}` : "",
    ),
    claimBar(state, task, me),
    h(
      "div",
      { class: "task-layout" },
      h("div", {}, conversation(state), replySection(state, task)),
      h("div", {}, clocks(state), triage(state), actions(state, task), notes(state), history(state), customerLink(task)),
    ),
  );
}

/** The clock that is running now (first response, then resolution), under the title. */
function headlineClock(state, task) {
  if (DONE.has(task.status)) return null;
  const sla = state.data.sla || {};
  const running = sla.first_response && !sla.first_response.at ? ["First response", sla.first_response] : ["Resolution", sla.resolution];
  const [label, clock] = running;
  if (!clock || !clock.due) return null;
  const c = countdown(clock.due, Date.now() + state.skew, clock.at);
  return h("p", { class: "headline-clock" }, `${label}: `, h("span", { class: `clock ${c.state}` }, c.text));
}

function claimBar(state, task, me) {
  const problem = problemBox();
  const bar = h("div", { class: "sticky-claim", id: "claim-bar" });
  const mine = task.assignee && task.assignee === me.email;
  if (DONE.has(task.status)) {
    bar.append(h("p", { class: "success" }, `Resolved${task.outcome ? `: ${words(task.outcome)}` : ""}.`));
  } else if (mine) {
    const waiting = task.status === "waiting_for_customer" ? " Waiting for the customer." : "";
    bar.append(h("p", { class: "success" }, `You hold this task.${waiting}`));
  } else if (task.assignee) {
    const takeover = h("button", { type: "button", class: "primary", id: "takeover" }, "Take over");
    takeover.addEventListener("click", () => act(state, takeover, problem, "takeover", {}, "You took over the task"));
    bar.append(h("p", { class: "warning" }, `${task.assignee} is working on this task.`), h("div", { class: "actions" }, takeover));
  } else {
    const claim = h("button", { type: "button", class: "primary", id: "claim" }, "Claim");
    claim.addEventListener("click", async () => {
      claim.disabled = true;
      problem.hidden = true;
      try {
        await post(`tasks/${encodeURIComponent(state.taskId)}/claim`, {});
        announce("Claimed: the task is yours");
        await load(state);
      } catch (error) {
        if (error instanceof ApiError && error.body.conflict === "claimed_by_other") {
          announce(`${error.body.claimed_by} claimed it first`);
          await load(state);
          return;
        }
        showProblem(problem, error);
      } finally {
        claim.disabled = false;
      }
    });
    bar.append(h("div", { class: "actions" }, claim));
  }
  bar.append(problem);
  return bar;
}

function conversation(state) {
  const items = state.data.conversation || [];
  const section = h("section", { class: "card", "aria-labelledby": "conv-title" }, h("h2", { id: "conv-title" }, "Conversation"));
  if (!items.length) section.append(h("p", { class: "muted" }, "No message stored."));
  section.append(
    h(
      "ol",
      { class: "messages" },
      items.map((m) =>
        h(
          "li",
          { class: `msg ${m.sender} ${m.visibility === "private" ? "private" : ""}` },
          h(
            "span",
            { class: "meta" },
            `${m.sender === "customer" ? "Customer" : m.sender === "heed" ? "Heed (automatic)" : m.by || "Brand"} · ${platformName(m.platform)} ${m.visibility || ""} · ${when(m.at)}${m.this_task === false ? " · other thread" : ""}`,
          ),
          h("span", { class: "text" }, m.text ?? ""),
        ),
      ),
    ),
  );
  const url = state.data.task.url;
  if (typeof url === "string" && url.startsWith("https://")) {
    section.append(h("p", {}, h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, `Open on ${platformName(state.data.task.platform)}`)));
  }
  section.append(h("div", { id: "newer", class: "warning", role: "alert", hidden: true }));
  return section;
}

function replySection(state, task) {
  const rules = state.data.reply || { can_public: true, can_private: false, max_length: 0 };
  const draft = drafts.get(state.taskId) || { text: "", template: "", private: !rules.can_public && rules.can_private };
  drafts.set(state.taskId, draft);
  const section = h("section", { class: "card", "aria-labelledby": "reply-title" }, h("h2", { id: "reply-title" }, "Reply"));
  if (DONE.has(task.status)) {
    section.append(h("p", { class: "muted" }, "This task is resolved."));
    return section;
  }
  const templates = state.templates;
  const picker = select("template", [["", "Free text"], ...templates.map((t) => [t.id, t.label || t.id])], draft.template);
  picker.id = "reply-template";
  const text = h("textarea", { name: "text", id: "reply-text", rows: 5, maxlength: 10000 });
  text.value = draft.text;
  const counterId = uid("count");
  const counter = h("small", { id: counterId, class: "hint" });
  text.setAttribute("aria-describedby", counterId);
  const updateCount = () => {
    const n = [...text.value].length;
    counter.textContent = rules.max_length ? `${n} / ${rules.max_length} characters` : `${n} characters`;
    counter.className = rules.max_length && n > rules.max_length ? "hint error-text" : "hint";
  };
  updateCount();
  picker.addEventListener("change", () => {
    const chosen = templates.find((t) => t.id === picker.value);
    draft.template = picker.value;
    if (chosen) {
      text.value = chosen.text;
      if (chosen.visibility === "private" && rules.can_private) setPrivate(true);
      if (chosen.visibility === "public" && rules.can_public) setPrivate(false);
    }
    draft.text = text.value;
    updateCount();
  });
  text.addEventListener("input", () => {
    draft.text = text.value;
    updateCount();
  });
  const name = uid("vis");
  const publicRadio = h("input", { type: "radio", name, value: "public", id: `${name}-public`, disabled: !rules.can_public });
  const privateRadio = h("input", { type: "radio", name, value: "private", id: `${name}-private`, disabled: !rules.can_private });
  function setPrivate(value) {
    draft.private = value;
    privateRadio.checked = value;
    publicRadio.checked = !value;
  }
  setPrivate(Boolean(draft.private));
  publicRadio.addEventListener("change", () => setPrivate(false));
  privateRadio.addEventListener("change", () => setPrivate(true));
  const visibility = h(
    "fieldset",
    {},
    h("legend", {}, "Send as"),
    h("div", { class: "check" }, publicRadio, h("label", { for: publicRadio.id }, "Public reply"), privateRadio, h("label", { for: privateRadio.id }, "Private message")),
    !rules.can_private ? h("small", { class: "hint" }, `${platformName(task.platform)} allows no private reply here.`) : null,
    rules.window_open === false ? h("small", { class: "hint" }, "The platform's reply window is closed.") : null,
  );
  const problem = problemBox();
  problem.id = "reply-problem";
  const prompt = h("div", { class: "warning", role: "alert", hidden: true, id: "reply-prompt" });
  const check = h("button", { type: "button", id: "reply-check" }, "Check");
  const send = h("button", { type: "submit", class: "primary", id: "reply-send" }, "Send reply");
  const form = h(
    "form",
    { "aria-labelledby": "reply-title" },
    field("Approved reply", picker, templates.length ? "Brand-approved words with this customer's details filled in." : "No approved reply for this task."),
    field("Your reply", text),
    counter,
    visibility,
    problem,
    prompt,
    h("div", { class: "actions" }, check, send),
  );
  const body = () => {
    const chosen = templates.find((t) => t.id === draft.template);
    const payload = chosen && chosen.text === text.value ? { template: chosen.id } : { text: text.value };
    return { ...payload, private: Boolean(draft.private) };
  };
  check.addEventListener("click", async () => {
    check.disabled = true;
    problem.hidden = true;
    try {
      await post(`tasks/${encodeURIComponent(state.taskId)}/reply/check`, body());
      announce("The reply passes the checks");
      clear(prompt);
      prompt.className = "success";
      prompt.hidden = false;
      prompt.append("The reply passes the brand's checks. Nothing was sent.");
    } catch (error) {
      showProblem(problem, error);
    } finally {
      check.disabled = false;
    }
  });
  const submit = async (takeover) => {
    send.disabled = true;
    problem.hidden = true;
    prompt.hidden = true;
    try {
      if (takeover) await post(`tasks/${encodeURIComponent(state.taskId)}/takeover`, {});
      const seen = state.data.last_customer_message_at ?? state.data.task.last_customer_message_at ?? null;
      const answer = await post(`tasks/${encodeURIComponent(state.taskId)}/reply`, { ...body(), seen_last_message_at: seen });
      drafts.delete(state.taskId);
      const uncertain = answer && answer.reply && answer.reply.status === "uncertain";
      announce(uncertain ? "The platform may not have the reply: check the thread" : "Reply sent");
      await load(state);
      if (uncertain) {
        const box = document.getElementById("reply-prompt");
        if (box) {
          box.className = "warning";
          box.textContent = "The platform did not confirm the reply. It is not sent again: open the thread and check.";
          box.hidden = false;
        }
      }
    } catch (error) {
      const b = error instanceof ApiError ? error.body : {};
      clear(prompt);
      prompt.className = "warning";
      if (b.conflict === "claimed_by_other") {
        const yes = h("button", { type: "button", class: "primary", id: "takeover-send" }, "Take over and send");
        const no = h("button", { type: "button" }, "Cancel");
        yes.addEventListener("click", () => submit(true));
        no.addEventListener("click", () => {
          prompt.hidden = true;
          text.focus();
        });
        prompt.append(h("p", {}, `${b.claimed_by || "Someone else"} holds this task. Take it over to send your reply?`), h("div", { class: "actions" }, yes, no));
        prompt.hidden = false;
        yes.focus();
      } else if (b.conflict === "new_customer_message") {
        const show = h("button", { type: "button", class: "primary", id: "show-newer" }, "Show the new message");
        show.addEventListener("click", () => load(state));
        prompt.append(h("p", {}, "The customer wrote again since you opened this draft. Nothing was sent: read it, then send."), show);
        prompt.hidden = false;
        show.focus();
      } else if (b.conflict === "already_sending" || b.conflict === "already_sent") {
        prompt.append(
          b.conflict === "already_sent"
            ? "This reply was already sent. Nothing new was sent."
            : "This reply is already being sent. Nothing new was sent.",
        );
        prompt.hidden = false;
      } else if (b.conflict === "uncertain") {
        prompt.append("The same reply may already be published, so it is not sent again. Open the thread and check.");
        prompt.hidden = false;
      } else {
        showProblem(problem, error);
        text.focus();
      }
    } finally {
      send.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(false);
  });
  section.append(form);
  return section;
}

function clocks(state) {
  const sla = state.data.sla || {};
  const now = Date.now() + state.skew;
  const line = (label, clock) => {
    if (!clock) return null;
    const c = countdown(clock.due, now, clock.at);
    return [h("dt", {}, label), h("dd", {}, h("span", { class: `clock ${c.state}` }, c.text), clock.due ? ` (${when(clock.due)})` : "")];
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "sla-title" },
    h("h2", { id: "sla-title" }, "SLA clocks"),
    h("dl", { class: "facts" }, line("First response", sla.first_response), line("Resolution", sla.resolution)),
  );
}

function triage(state) {
  const t = state.data.triage || {};
  const task = state.data.task;
  const intents = state.data.intents || [];
  const sentiments = state.data.sentiments || [];
  const intent = select("intent", intents.map((v) => [v, words(v)]), t.intent || task.intent);
  const sentiment = select("sentiment", sentiments.map((v) => [v, words(v)]), t.sentiment || task.sentiment || "");
  const problem = problemBox();
  const save = h("button", { type: "submit", id: "correct" }, "Save the reading");
  const form = h(
    "form",
    {},
    h("div", { class: "row" }, field("Intent", intent), field("Sentiment", sentiment)),
    problem,
    h("div", { class: "actions" }, save),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(state, save, problem, "correct", { intent: intent.value, sentiment: sentiment.value }, "Triage reading saved");
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "triage-title" },
    h("h2", { id: "triage-title" }, "Triage"),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Intent"),
      h("dd", {}, words(t.intent || task.intent)),
      h("dt", {}, "Sentiment"),
      h("dd", {}, words(t.sentiment || task.sentiment || "—")),
      h("dt", {}, "Priority"),
      h("dd", {}, t.priority || task.priority),
      h("dt", {}, "Team"),
      h("dd", {}, t.team || task.team || "—"),
      t.corrected_by ? [h("dt", {}, "Corrected by"), h("dd", {}, t.corrected_by)] : null,
    ),
    (t.reasons || []).length ? [h("h3", {}, "Why"), h("ul", {}, t.reasons.map((reason) => h("li", {}, reason)))] : null,
    h("details", {}, h("summary", {}, "Correct the reading"), form),
  );
}

function actionForm(state, { title, controls, label, path, body, done, id }) {
  const problem = problemBox();
  const button = h("button", { type: "submit", id }, label);
  const form = h("form", { "aria-label": title }, controls, problem, h("div", { class: "actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const payload = body();
    if (payload === null) return;
    act(state, button, problem, path, payload, done);
  });
  return form;
}

function snoozeChoices(now) {
  const hour = 3_600_000;
  const tomorrow = new Date(now + 24 * hour);
  tomorrow.setHours(9, 0, 0, 0);
  return [
    [new Date(now + hour).toISOString(), "1 hour"],
    [new Date(now + 4 * hour).toISOString(), "4 hours"],
    [tomorrow.toISOString(), "Tomorrow 9:00"],
  ];
}

function actions(state, task) {
  if (DONE.has(task.status)) return null;
  const outcomes = state.data.outcomes || [];
  const assignee = h("input", { type: "email", name: "to", autocomplete: "off", required: true });
  const snooze = select("until", snoozeChoices(Date.now()), "");
  const outcome = select("outcome", outcomes.map((v) => [v, words(v)]), outcomes[0]);
  const waitProblem = problemBox();
  const wait = h("button", { type: "button", id: "wait" }, "Waiting for the customer");
  wait.addEventListener("click", () => act(state, wait, waitProblem, "wait", {}, "Waiting for the customer"));
  return h(
    "section",
    { class: "card", "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title" }, "Actions"),
    actionForm(state, {
      title: "Resolve",
      id: "resolve",
      controls: field("Outcome", outcome),
      label: "Resolve",
      path: "resolve",
      body: () => ({ outcome: outcome.value }),
      done: "Resolved",
    }),
    actionForm(state, {
      title: "Assign",
      id: "assign",
      controls: field("Assign to (e-mail)", assignee),
      label: "Assign",
      path: "assign",
      body: () => (assignee.value.trim() ? { to: assignee.value.trim() } : null),
      done: "Assigned",
    }),
    actionForm(state, {
      title: "Snooze",
      id: "snooze",
      controls: field("Snooze for", snooze),
      label: "Snooze",
      path: "snooze",
      body: () => ({ until: snooze.value }),
      done: "Snoozed",
    }),
    h("div", { class: "actions" }, wait),
    waitProblem,
  );
}

function notes(state) {
  const items = state.data.notes || [];
  const text = h("textarea", { name: "note", rows: 3, required: true });
  return h(
    "section",
    { class: "card", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, "Notes"),
    items.length
      ? h("ul", { class: "history" }, items.map((n) => h("li", {}, h("span", { class: "muted" }, `${when(n.at)} · ${n.by}: `), n.text ?? "")))
      : h("p", { class: "muted" }, "No note yet."),
    actionForm(state, {
      title: "Add a note",
      id: "add-note",
      controls: field("Note for the team (never sent to the customer)", text),
      label: "Add note",
      path: "note",
      body: () => (text.value.trim() ? { text: text.value } : null),
      done: "Note added",
    }),
  );
}

function detailText(detail) {
  if (!detail || typeof detail !== "object") return detail ? String(detail) : "";
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${words(k)}: ${typeof v === "object" ? JSON.stringify(v) : v}`)
    .join(", ");
}

function history(state) {
  const items = state.data.history || [];
  return h(
    "section",
    { class: "card", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, "History"),
    h(
      "ol",
      { class: "history" },
      items.map((e) => h("li", {}, h("span", { class: "muted" }, `${when(e.at)} · `), `${e.by || "Heed"} ${words(e.kind)}`, detailText(e.detail) ? h("span", { class: "muted" }, ` — ${detailText(e.detail)}`) : null)),
    ),
  );
}

function customerLink(task) {
  return h(
    "p",
    {},
    h("a", { href: `#/customers/${encodeURIComponent(task.customer_id)}`, class: "button" }, "Customer: identities and threads"),
  );
}

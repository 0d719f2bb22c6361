// Router and shell: hash routes, sign-in in place (the link the person opened stays in the address
// bar and opens once signed in), focus moved to the page's heading on every route change.

import { ApiError, currentUser, onSession, signOut, signedIn } from "./server.js";
import { clear, h } from "./dom.js";
import { renderCustomer } from "./customer.js";
import { renderInbox } from "./inbox.js";
import { renderReport } from "./report.js";
import { renderSignIn } from "./signin.js";
import { renderTask } from "./task.js";
import { renderUsers } from "./users.js";

const main = document.getElementById("main");
const status = document.getElementById("status");
let statusTimer = 0;
let generation = 0; // a newer route makes an older render's late answers harmless
let cleanups = [];

/** A short message for everyone, read out by screen readers (role=status). */
export function announce(text) {
  status.textContent = text;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    status.textContent = "";
  }, 4000);
}

/** Parse "#/tasks/T-1?x=1" into {name: "tasks", id: "T-1", query: URLSearchParams}. */
export function parseRoute(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "inbox", id: parts[1] || null, query: new URLSearchParams(query) };
}

export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** Run fn when the page is left (timers, listeners). */
export function onLeave(fn) {
  cleanups.push(fn);
}

function shell() {
  const user = currentUser();
  document.getElementById("nav").hidden = !user;
  document.getElementById("who").hidden = !user;
  document.getElementById("who-name").textContent = user ? user.name || user.email : "";
  document.getElementById("nav-users").hidden = !(user && user.lead);
  const current = parseRoute().name;
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.route === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

export function isCurrent(token) {
  return token === generation;
}

export function showError(error, where = main) {
  const message =
    error instanceof ApiError
      ? error.body.reason || error.body.error || error.message
      : "The console could not reach Heed. Check the connection and try again.";
  where.append(h("div", { class: "error", role: "alert" }, message));
}

export async function route() {
  for (const fn of cleanups.splice(0)) fn();
  generation += 1;
  const token = generation;
  shell();
  const r = parseRoute();
  clear(main);
  if (!signedIn() || r.name === "signin") {
    renderSignIn(main, { next: r.name === "signin" ? "#/inbox" : location.hash || "#/inbox" });
    return;
  }
  const pages = { inbox: renderInbox, tasks: renderTask, customers: renderCustomer, report: renderReport, users: renderUsers };
  const page = pages[r.name];
  if (!page) {
    main.append(h("h1", { tabindex: "-1" }, "Not found"), h("p", {}, h("a", { href: "#/inbox" }, "Back to the inbox")));
    focusHeading();
    return;
  }
  try {
    await page(main, r, token);
  } catch (error) {
    if (!isCurrent(token)) return;
    if (error instanceof ApiError && error.status === 401) {
      route(); // signed out by api(): the sign-in form, same link kept
      return;
    }
    showError(error);
  }
}

export function focusHeading() {
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  } else main.focus();
}

document.getElementById("sign-out").addEventListener("click", () => {
  announce("Signed out");
  history.replaceState(null, "", "#/signin");
  signOut();
});
onSession((current) => {
  shell();
  if (!current) route(); // signed out (or the session could not be renewed): sign in again, same link
});
window.addEventListener("hashchange", route);
route();

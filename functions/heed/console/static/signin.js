// Sign-in: e-mail and password to the console's own endpoint (Cognito USER_PASSWORD_AUTH behind it),
// then any challenge Cognito asks for (a new password for an invited person, an MFA code).

import { answerChallenge, ApiError, signIn } from "./server.js";
import { announce, focusHeading, go, route } from "./app.js";
import { append, clear, field, h } from "./dom.js";

export function renderSignIn(main, { next }) {
  const box = h("section", { class: "signin card", "aria-labelledby": "signin-title" });
  main.append(box);
  credentialsForm(box, next);
  focusHeading();
}

function errorBox() {
  return h("div", { class: "error", role: "alert", hidden: true });
}

function fail(box, error) {
  box.hidden = false;
  box.textContent =
    error instanceof ApiError ? error.body.reason || error.message : "Heed could not be reached. Try again.";
}

function done(next) {
  announce("Signed in");
  if (location.hash === next || (!location.hash && next === "#/inbox")) route();
  else go(next);
}

function credentialsForm(box, next) {
  clear(box);
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const problem = errorBox();
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { novalidate: false },
    field("E-mail", email),
    field("Password", password),
    problem,
    h("div", { class: "actions" }, button),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    problem.hidden = true;
    try {
      const answer = await signIn(email.value.trim(), password.value);
      if (answer.signed_in) done(next);
      else challengeForm(box, next, answer);
    } catch (error) {
      fail(problem, error);
      password.focus();
    } finally {
      button.disabled = false;
    }
  });
  const where = location.hash.startsWith("#/tasks/") ? "Sign in to open the task from your alert." : null;
  append(box, [h("h1", { id: "signin-title" }, "Sign in to Heed"), where ? h("p", { class: "muted" }, where) : null, form]);
}

function challengeForm(box, next, challenge) {
  clear(box);
  const problem = errorBox();
  const button = h("button", { type: "submit", class: "primary" }, "Continue");
  const inputs = [];
  let title;
  let intro;
  if (challenge.challenge === "NEW_PASSWORD_REQUIRED") {
    title = "Choose your password";
    intro = "This is your first sign-in: choose a password of your own.";
    inputs.push([
      "new_password",
      field(
        "New password",
        h("input", { type: "password", name: "new_password", autocomplete: "new-password", required: true }),
        "At least 8 characters, with upper and lower case letters and a digit.",
      ),
    ]);
  } else {
    title = challenge.challenge === "MFA_SETUP" ? "Set up your authenticator" : "Enter your code";
    intro =
      challenge.challenge === "MFA_SETUP"
        ? "Add this key to your authenticator app, then enter the 6-digit code it shows."
        : "Enter the 6-digit code from your authenticator app.";
    inputs.push([
      "code",
      field(
        "Code",
        h("input", {
          type: "text",
          name: "code",
          inputmode: "numeric",
          autocomplete: "one-time-code",
          pattern: "[0-9]{6}",
          required: true,
        }),
      ),
    ]);
  }
  const form = h(
    "form",
    {},
    challenge.secret_code ? h("p", {}, "Key: ", h("code", {}, challenge.secret_code)) : null,
    inputs.map(([, el]) => el),
    problem,
    h("div", { class: "actions" }, button),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    const body = { email: challenge.email, challenge: challenge.challenge, session: challenge.session };
    for (const [name, el] of inputs) {
      const value = el.querySelector("input").value;
      body[name] = name === "code" ? value.trim() : value;
    }
    try {
      const answer = await answerChallenge(body);
      if (answer.signed_in) done(next);
      else challengeForm(box, next, answer);
    } catch (error) {
      fail(problem, error);
    } finally {
      button.disabled = false;
    }
  });
  box.append(h("h1", { id: "signin-title" }, title), h("p", {}, intro), form);
  focusHeading();
}

// Times and durations as a person reads them on a phone at 2 a.m.

const MINUTE = 60_000;

export function parseTime(value) {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** "4 min", "2 h 5 min", "3 d 2 h": the span between two instants, unsigned. */
export function span(ms) {
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days} d ${restHours} h` : `${days} d`;
}

/** An SLA clock: {text, state} with state "overdue", "soon" (under a quarter hour), "ok" or "stopped". */
export function countdown(due, now = Date.now(), stoppedAt = null) {
  const dueMs = parseTime(due);
  if (dueMs === null) return { text: "no deadline", state: "stopped" };
  const stopped = parseTime(stoppedAt);
  if (stopped !== null) {
    const late = stopped - dueMs;
    return {
      text: late > 0 ? `met ${span(late)} late` : `met, ${span(late)} early`,
      state: late > 0 ? "late" : "stopped",
    };
  }
  const left = dueMs - now;
  if (left < 0) return { text: `overdue by ${span(left)}`, state: "overdue" };
  return { text: `due in ${span(left)}`, state: left < 15 * MINUTE ? "soon" : "ok" };
}

export function ago(value, now = Date.now()) {
  const t = parseTime(value);
  if (t === null) return "";
  const d = now - t;
  if (d < MINUTE) return "just now";
  return d > 0 ? `${span(d)} ago` : `in ${span(d)}`;
}

export function when(value) {
  const t = parseTime(value);
  if (t === null) return "";
  return new Date(t).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function isoDate(value) {
  return new Date(value).toISOString().slice(0, 10);
}

export function percent(x) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return "—";
  return `${Math.round(Number(x) * 1000) / 10} %`;
}

export function words(value) {
  return String(value ?? "").replaceAll("_", " ");
}

const PLATFORMS = {
  x: "X",
  facebook: "Facebook",
  instagram: "Instagram",
  messenger: "Messenger",
  whatsapp: "WhatsApp",
  generic: "Webhook",
};

export function platformName(value) {
  return PLATFORMS[value] || words(value);
}

'use strict';
// Drawn entirely from the service's metadata and answers (/api/...): no field is known in advance.
const TEXT = {
  en: {title: 'Email configuration', lang: 'Language', user: 'Signed in as', type: 'Authentication type',
       save: 'Save', saveAnyway: 'Save anyway', verify: 'Check connection', report: 'Connection check',
       inbox: 'Inbox of the sandbox mail server', refresh: 'Refresh', keep: 'leave blank to keep the stored one',
       recipient: 'The test email goes to your own address: ', saved: 'Saved (revision {0}); test email sent to {1}.',
       savedFailed: 'Saved anyway (revision {0}); the test email failed: {1}', notAllowed: 'Not allowed: ',
       conflict: 'Someone else saved meanwhile; the form was reloaded.',
       status: 'Revision {0} is in force, saved by {1} on {2}.', nothing: 'No email configuration is saved yet.',
       PASSED: 'passed', FAILED: 'failed', SKIPPED: 'not checked', WARNING: 'warning',
       verdictOk: 'The check passed: these settings work (it sent nothing).',
       verdictFailed: 'The check failed: {0}',
       verdictInconclusive: 'Nothing could be checked without sending: save to send the test email.'},
  de: {title: 'E-Mail-Konfiguration', lang: 'Sprache', user: 'Angemeldet als', type: 'Authentifizierungstyp',
       save: 'Speichern', saveAnyway: 'Trotzdem speichern', verify: 'Verbindung pr\u00fcfen',
       report: 'Verbindungspr\u00fcfung', inbox: 'Posteingang des Sandbox-Mailservers', refresh: 'Aktualisieren',
       keep: 'leer lassen, um das gespeicherte zu behalten', recipient: 'Die Test-E-Mail geht an Ihre eigene Adresse: ',
       saved: 'Gespeichert (Revision {0}); Test-E-Mail an {1} gesendet.',
       savedFailed: 'Trotzdem gespeichert (Revision {0}); die Test-E-Mail ist fehlgeschlagen: {1}',
       notAllowed: 'Nicht erlaubt: ', conflict: 'Jemand anderes hat inzwischen gespeichert; das Formular wurde neu geladen.',
       status: 'Revision {0} ist in Kraft, gespeichert von {1} am {2}.',
       nothing: 'Es ist noch keine E-Mail-Konfiguration gespeichert.',
       PASSED: 'bestanden', FAILED: 'fehlgeschlagen', SKIPPED: 'nicht gepr\u00fcft', WARNING: 'Warnung',
       verdictOk: 'Die Pr\u00fcfung ist bestanden: Diese Einstellungen funktionieren (gesendet wurde nichts).',
       verdictFailed: 'Die Pr\u00fcfung ist fehlgeschlagen: {0}',
       verdictInconclusive: 'Ohne zu senden lie\u00df sich nichts pr\u00fcfen: Speichern Sie, um die Test-E-Mail zu senden.'}
};
// epoch: bumped on every switch of user, type or language; an answer that arrives after one is dropped.
const state = {lang: 'en', user: 'admin', types: [], view: null, drawn: null, pending: 0, csrf: null, epoch: 0};
const $ = id => document.getElementById(id);
const t = (key, ...args) => TEXT[state.lang][key].replace(/\{(\d)\}/g, (m, i) => args[i]);

// <body data-state> is "busy" while any request runs and "idle" once the page shows its answer: tests (and
// scripts a host adds) wait for it instead of guessing when a re-render is over.
function busy(delta) {
  state.pending += delta;
  document.body.dataset.state = state.pending > 0 ? 'busy' : 'idle';
}

async function settle(work) {
  busy(1);
  try { return await work(); } finally { busy(-1); }
}

// Every call carries the session's CSRF token, which only this origin can read (GET /api/session), and says
// who is signed in; writes are JSON. The API refuses anything else with 403.
async function api(method, path, body) {
  if (!state.csrf) {
    state.csrf = (await (await fetch('/api/session', {credentials: 'same-origin'})).json()).csrfToken;
  }
  const r = await fetch(path + '?lang=' + state.lang, {method, credentials: 'same-origin',
      headers: {'X-Sandbox-User': state.user, 'X-CSRF-Token': state.csrf, 'Content-Type': 'application/json'},
      body: body ? JSON.stringify(body) : undefined});
  return {status: r.status, body: await r.json()};
}

function notice(kind, text) {
  const n = $('notice');
  n.hidden = !text; n.className = kind; n.textContent = text || '';
}

// What belongs to one user, language or type never stays on screen for another: the check's report, the
// inbox, the notice.
function clearStale() {
  state.epoch++;
  $('report').hidden = true;
  $('steps').replaceChildren();
  $('advice').replaceChildren();
  $('save-anyway').hidden = true;
}

async function load() {
  document.documentElement.lang = state.lang;
  clearStale();
  $('inbox').replaceChildren();
  for (const [id, key] of [['title', 'title'], ['lang-label', 'lang'], ['user-label', 'user'], ['type-label', 'type'],
      ['save', 'save'], ['save-anyway', 'saveAnyway'], ['verify', 'verify'], ['report-title', 'report'],
      ['inbox-title', 'inbox'], ['refresh', 'refresh']]) {
    $(id).textContent = t(key);
  }
  state.types = (await api('GET', '/api/types')).body;
  const view = await api('GET', '/api/config');
  if (view.status === 403) {
    $('form').hidden = true;
    notice('failed', t('notAllowed') + view.body.hint);
    return;
  }
  $('form').hidden = false;
  notice('', '');
  state.view = view.body;
  const select = $('type');
  select.replaceChildren(...state.types.map(ty => new Option(ty.label, ty.id)));
  select.value = state.view.type || state.types[0].id;
  $('recipient').textContent = t('recipient') + state.view.testRecipient;
  showWarnings();
  showStatus();
  drawFields();
  await inbox();
}

// Which revision is in force, saved by whom and when: the line an admin reads first.
function showStatus() {
  const v = state.view;
  $('status').textContent = v && v.configured && v.savedAt
      ? t('status', v.revision, v.savedBy, new Date(v.savedAt).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB'))
      : t('nothing');
}

// What the admin should know about the configuration in force (Microsoft ending password sign-in, say).
function showWarnings() {
  const list = (state.view && state.view.warnings) || [];
  $('warnings').hidden = list.length === 0;
  $('warnings').replaceChildren(...list.map(w => { const li = document.createElement('li'); li.textContent = w; return li; }));
}

function currentType() { return state.types.find(ty => ty.id === $('type').value); }

// Rebuilds the inputs only when the type or the language changed; otherwise the same inputs are refilled, so
// nothing the admin (or a test) holds goes stale under them.
function drawFields() {
  const type = currentType();
  const key = type.id + '/' + state.lang;
  if (state.drawn === key) { fillFields(type); return; }
  state.drawn = key;
  const stored = state.view.type === type.id ? state.view.values : {};
  const container = $('fields');
  container.replaceChildren();
  for (const f of type.fields) {
    const row = document.createElement('div');
    row.className = 'field'; row.id = 'row-' + f.name; row.dataset.shownWhen = f.shownWhen || '';
    const label = document.createElement('label');
    label.htmlFor = 'f-' + f.name; label.textContent = f.label; label.dataset.required = f.required;
    let input;
    if (f.kind === 'CHOICE') {
      input = document.createElement('select');
      input.replaceChildren(...f.allowed.map(a => new Option(a, a)));
      input.value = stored[f.name] || f.default || f.allowed[0];
    } else if (f.kind === 'BOOLEAN') {
      input = document.createElement('input'); input.type = 'checkbox';
      input.checked = (stored[f.name] || f.default) === 'true';
      input.addEventListener('change', applySwitches);
    } else {
      input = document.createElement('input');
      input.type = f.secret ? 'password' : 'text';
      input.value = f.secret ? '' : (stored[f.name] || f.default || '');
      if (f.secret && state.view.type === type.id && state.view.storedSecrets.includes(f.name)) {
        input.placeholder = t('keep');
      }
    }
    input.id = 'f-' + f.name; input.name = f.name; input.dataset.secret = f.secret;
    const error = document.createElement('span');
    error.className = 'error'; error.id = 'error-' + f.name;
    row.append(label, input, error);
    container.append(row);
  }
  applySwitches();
}

function fillFields(type) {
  const stored = state.view.type === type.id ? state.view.values : {};
  for (const f of type.fields) {
    const input = $('f-' + f.name);
    if (f.kind === 'BOOLEAN') {
      input.checked = (stored[f.name] || f.default) === 'true';
    } else if (f.secret) {
      input.value = '';
      input.placeholder = state.view.type === type.id && state.view.storedSecrets.includes(f.name) ? t('keep') : '';
    } else {
      input.value = stored[f.name] || f.default || (f.kind === 'CHOICE' ? f.allowed[0] : '');
    }
  }
  applySwitches();
}

// A field shown only while its switch is on is also only then required; a stored secret left blank is kept,
// so it is not required either, and a switch always has a value.
function applySwitches() {
  for (const row of $('fields').children) {
    const sw = row.dataset.shownWhen;
    const shown = !sw || $('f-' + sw).checked;
    row.hidden = !shown;
    const label = row.querySelector('label');
    const input = row.querySelector('input, select');
    const kept = input.dataset.secret === 'true' && input.placeholder === t('keep');
    label.classList.toggle('required', shown && label.dataset.required === 'true' && !kept && input.type !== 'checkbox');
  }
}

function collect() {
  const values = {}, secrets = {};
  for (const input of $('fields').querySelectorAll('input, select')) {
    if (input.closest('.field').hidden) continue;
    const value = input.type === 'checkbox' ? String(input.checked) : input.value;
    if (input.dataset.secret === 'true') secrets[input.name] = value; else values[input.name] = value;
  }
  return {type: $('type').value, values, secrets, expectedRevision: state.view.revision};
}

async function save(anyway) {
  for (const e of document.querySelectorAll('.error')) e.textContent = '';
  $('save-anyway').hidden = true;
  const r = await api('POST', '/api/config', {...collect(), saveAnyway: anyway});
  if (r.status === 200) {
    // The form shows what is stored before the notice says so.
    state.view = (await api('GET', '/api/config')).body;
    drawFields();
    showWarnings();
    showStatus();
    await inbox();
    notice(r.body.testFailure ? 'failed' : 'ok', r.body.testFailure ? t('savedFailed', r.body.revision,
        r.body.testFailure.hint) : t('saved', r.body.revision, r.body.testEmailTo));
  } else if (r.status === 422) {
    notice('', '');
    for (const v of r.body.violations) {
      const e = $('error-' + v.field);
      if (e) e.textContent = v.message; else notice('failed', v.message);
    }
  } else if (r.status === 502) {
    notice('failed', r.body.hint + (r.body.serverReply ? ' (' + r.body.serverReply + ')' : ''));
    $('save-anyway').hidden = false;
  } else if (r.status === 409) {
    await load(); notice('failed', t('conflict'));
  } else {
    notice('failed', (r.status === 403 ? t('notAllowed') : '') + r.body.hint);
  }
}

async function verify() {
  const epoch = state.epoch;
  const r = await api('POST', '/api/verify', collect());
  if (epoch !== state.epoch) return;
  if (r.status === 422) { return save(false); }
  $('report').hidden = false;
  // One verdict first, in the admin's words; then each step, its outcome in the admin's language.
  $('verdict').className = !r.body.ok ? 'FAILED' : r.body.conclusive ? 'PASSED' : 'SKIPPED';
  $('verdict').textContent = !r.body.ok ? t('verdictFailed', r.body.failure ? r.body.failure.hint : '')
      : r.body.conclusive ? t('verdictOk') : t('verdictInconclusive');
  $('steps').replaceChildren(...(r.body.steps || []).map(s => {
    const li = document.createElement('li'); li.className = s.outcome;
    li.textContent = t(s.outcome) + ' \u2013 ' + s.summary + ' (' + s.millis + ' ms)'; return li;
  }));
  $('advice').replaceChildren(...(r.body.advice || []).concat(r.body.failure ? [r.body.failure.hint] : [])
      .map(a => { const li = document.createElement('li'); li.textContent = a; return li; }));
}

async function inbox() {
  const epoch = state.epoch;
  const r = await api('GET', '/api/inbox');
  if (r.status !== 200 || epoch !== state.epoch) return;
  $('inbox').replaceChildren(...r.body.map(m => {
    const li = document.createElement('li');
    li.textContent = m.subject + ' \u2013 ' + m.to; li.title = m.text; return li;
  }));
}

$('lang').addEventListener('change', e => { state.lang = e.target.value; settle(load); });
$('user').addEventListener('change', e => { state.user = e.target.value; settle(load); });
$('type').addEventListener('change', () => { clearStale(); drawFields(); });
$('form').addEventListener('submit', e => { e.preventDefault(); settle(() => save(false)); });
$('save-anyway').addEventListener('click', () => settle(() => save(true)));
$('verify').addEventListener('click', () => settle(verify));
$('refresh').addEventListener('click', () => settle(inbox));
settle(load);

'use strict';
// Drawn entirely from the service's metadata and answers (/api/...): no field is known in advance.
const TEXT = {
  en: {title: 'Email configuration', lang: 'Language', user: 'Signed in as', type: 'Authentication type',
       save: 'Save', saveAnyway: 'Save anyway', verify: 'Check connection', report: 'Connection check',
       inbox: 'Inbox of the sandbox mail server', refresh: 'Refresh', keep: 'leave blank to keep the stored one',
       SENDER: 'Sender', SERVER: 'Server and delivery', AUTHENTICATION: 'Authentication', advanced: 'Advanced settings',
       edit: 'Edit', cancel: 'Cancel', recipientLabel: 'Test email to', on: 'on', off: 'off',
       recipientHelp: 'Every save first sends a test email to your own address.',
       storedSecret: 'stored (never shown)', saved: 'Saved (revision {0}); test email sent to {1}.',
       savedFailed: 'Saved anyway (revision {0}); the test email failed: {1}', notAllowed: 'Not allowed: ',
       conflict: 'Someone else saved meanwhile; the form was reloaded.',
       status: 'Revision {0} is in force, saved by {1} on {2}.', nothing: 'No email configuration is saved yet.',
       PASSED: 'passed', FAILED: 'failed', SKIPPED: 'not checked', WARNING: 'warning',
       verdictOk: 'The check passed: these settings work (it sent nothing).',
       verdictFailed: 'The check failed: {0}',
       verdictInconclusive: 'Nothing could be checked without sending: save to send the test email.',
       outbox: 'Outbox', outboxWaiting: '{0} waiting; the oldest for {1} s.', outboxNothing: 'Nothing waiting.',
       outboxFAILED: 'Failed', outboxMAYBE_DELIVERED: 'May have been delivered', resend: 'Resend', discard: 'Discard',
       attempts: '{0} attempt(s)', healthUP: 'Email works, since {0}.', healthDEGRADED: 'Email needs attention, since {0}.',
       healthDOWN: 'Email does not work, since {0}.', lastSuccess: 'Last message accepted: {0}.',
       Thumbprint: 'Thumbprint', Subject: 'Subject', Expires: 'Valid until'},
  de: {title: 'E-Mail-Konfiguration', lang: 'Sprache', user: 'Angemeldet als', type: 'Authentifizierungstyp',
       save: 'Speichern', saveAnyway: 'Trotzdem speichern', verify: 'Verbindung pr\u00fcfen',
       report: 'Verbindungspr\u00fcfung', inbox: 'Posteingang des Sandbox-Mailservers', refresh: 'Aktualisieren',
       keep: 'leer lassen, um das gespeicherte zu behalten',
       SENDER: 'Absender', SERVER: 'Server und Versand', AUTHENTICATION: 'Authentifizierung',
       advanced: 'Erweiterte Einstellungen', edit: 'Bearbeiten', cancel: 'Abbrechen', recipientLabel: 'Test-E-Mail an',
       on: 'an', off: 'aus', storedSecret: 'gespeichert (nie angezeigt)',
       Thumbprint: 'Fingerabdruck', Subject: 'Antragsteller', Expires: 'G\u00fcltig bis',
       recipientHelp: 'Jedes Speichern sendet zuerst eine Test-E-Mail an Ihre eigene Adresse.',
       saved: 'Gespeichert (Revision {0}); Test-E-Mail an {1} gesendet.',
       savedFailed: 'Trotzdem gespeichert (Revision {0}); die Test-E-Mail ist fehlgeschlagen: {1}',
       notAllowed: 'Nicht erlaubt: ', conflict: 'Jemand anderes hat inzwischen gespeichert; das Formular wurde neu geladen.',
       status: 'Revision {0} ist in Kraft, gespeichert von {1} am {2}.',
       nothing: 'Es ist noch keine E-Mail-Konfiguration gespeichert.',
       PASSED: 'bestanden', FAILED: 'fehlgeschlagen', SKIPPED: 'nicht gepr\u00fcft', WARNING: 'Warnung',
       verdictOk: 'Die Pr\u00fcfung ist bestanden: Diese Einstellungen funktionieren (gesendet wurde nichts).',
       verdictFailed: 'Die Pr\u00fcfung ist fehlgeschlagen: {0}',
       verdictInconclusive: 'Ohne zu senden lie\u00df sich nichts pr\u00fcfen: Speichern Sie, um die Test-E-Mail zu senden.',
       outbox: 'Postausgang', outboxWaiting: '{0} warten; die \u00e4lteste seit {1} s.', outboxNothing: 'Nichts wartet.',
       outboxFAILED: 'Fehlgeschlagen', outboxMAYBE_DELIVERED: 'M\u00f6glicherweise zugestellt',
       resend: 'Erneut senden', discard: 'Verwerfen', attempts: '{0} Versuch(e)',
       healthUP: 'E-Mail funktioniert, seit {0}.', healthDEGRADED: 'E-Mail braucht Aufmerksamkeit, seit {0}.',
       healthDOWN: 'E-Mail funktioniert nicht, seit {0}.', lastSuccess: 'Zuletzt angenommene Nachricht: {0}.'}
};
// epoch: bumped on every switch of user, type or language; an answer that arrives after one is dropped.
// editing: the form is open; otherwise a saved configuration is shown read-only with an "Edit" button.
const state = {lang: 'en', user: 'admin', types: [], view: null, drawn: null, pending: 0, csrf: null, epoch: 0,
  editing: false};
const SECTIONS = ['SENDER', 'SERVER', 'AUTHENTICATION'];
const $ = id => document.getElementById(id);
const t = (key, ...args) => TEXT[state.lang][key].replace(/\{(\d)\}/g, (m, i) => args[i]);
const el = (tag, props, ...children) => { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e; };

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

function clearErrors() {
  for (const e of document.querySelectorAll('.error')) e.textContent = '';
}

async function load() {
  document.documentElement.lang = state.lang;
  clearStale();
  $('inbox').replaceChildren();
  $('outbox').hidden = true;
  $('outbox-list').replaceChildren();
  $('health').textContent = '';
  $('concerns').hidden = true;
  $('concerns').replaceChildren();
  state.editing = false;
  for (const [id, key] of [['title', 'title'], ['lang-label', 'lang'], ['user-label', 'user'], ['type-label', 'type'],
      ['save', 'save'], ['save-anyway', 'saveAnyway'], ['verify', 'verify'], ['report-title', 'report'],
      ['inbox-title', 'inbox'], ['refresh', 'refresh'], ['edit', 'edit'], ['cancel', 'cancel'],
      ['recipient-label', 'recipientLabel'], ['recipient-help', 'recipientHelp']]) {
    $(id).textContent = t(key);
  }
  for (const s of SECTIONS) $('legend-' + s).textContent = t(s);
  for (const d of document.querySelectorAll('details.advanced summary')) d.textContent = t('advanced');
  state.types = (await api('GET', '/api/types')).body;
  const view = await api('GET', '/api/config');
  if (view.status === 403) {
    $('form').hidden = true;
    $('summary').hidden = true;
    notice('failed', t('notAllowed') + view.body.hint);
    return;
  }
  notice('', '');
  state.view = view.body;
  await outbox();
  await health();
  const select = $('type');
  select.replaceChildren(...state.types.map(ty => new Option(ty.label, ty.type)));
  select.value = state.view.type || state.types[0].type;
  $('recipient').textContent = state.view.testRecipient;
  showWarnings();
  showStatus();
  drawFields();
  showMode();
  await inbox();
}

// A saved configuration is read first and changed only after "Edit"; with none saved yet the form is the page.
function showMode() {
  const configured = !!(state.view && state.view.configured);
  const editing = state.editing || !configured;
  $('form').hidden = !editing;
  $('cancel').hidden = !configured;
  $('summary').hidden = editing;
  if (!editing) drawSummary();
}

// Which revision is in force, saved by whom and when: the line an admin reads first.
function showStatus() {
  const v = state.view;
  $('status').textContent = v && v.configured && v.savedAt
      ? t('status', v.revision, v.savedBy, new Date(v.savedAt).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB'))
      : t('nothing');
}

// Whether email works, from what real deliveries showed (the library never probes): status, since when, the last
// success, and each concern in the admin's language.
async function health() {
  const r = await api('GET', '/api/health');
  if (r.status !== 200) return;
  const when = iso => new Date(iso).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB');
  $('health').className = 'health ' + r.body.status;
  $('health').textContent = t('health' + r.body.status, when(r.body.since))
      + (r.body.lastSuccess ? ' ' + t('lastSuccess', when(r.body.lastSuccess)) : '');
  $('concerns').hidden = r.body.concerns.length === 0;
  $('concerns').replaceChildren(...r.body.concerns.map(c => el('li', {className: c.severity, textContent: c.text})));
}

// What the admin should know about the configuration in force (Microsoft ending password sign-in, say).
function showWarnings() {
  const list = (state.view && state.view.warnings) || [];
  $('warnings').hidden = list.length === 0;
  $('warnings').replaceChildren(...list.map(w => el('li', {textContent: w})));
}

function currentType() { return state.types.find(ty => ty.type === $('type').value); }

// The metadata's one rule (FieldDescriptor.shownFor): shown always, while its switch is on, or while its choice
// holds one of the values that show it.
function shownFor(f, valueOf) {
  if (!f.shownWhen) return true;
  const v = valueOf(f.shownWhen);
  if (v === null || v === undefined) return false;
  return f.shownFor.length === 0 ? v.toLowerCase() === 'true' : f.shownFor.some(x => x.toLowerCase() === v.toLowerCase());
}

function storedValues(type) {
  return state.view.type === type.type ? state.view.values : {};
}

function fieldsBox(section, advanced) {
  return document.querySelector('#section-' + section + (advanced ? ' details.advanced .fields' : ' > .fields'));
}

// Rebuilds the inputs only when the type or the language changed; otherwise the same inputs are refilled, so
// nothing the admin (or a test) holds goes stale under them.
function drawFields() {
  const type = currentType();
  const key = type.type + '/' + state.lang;
  if (state.drawn === key) { fillFields(type); return; }
  state.drawn = key;
  for (const s of SECTIONS) { fieldsBox(s, false).replaceChildren(); fieldsBox(s, true).replaceChildren(); }
  for (const f of type.fields) {
    const row = el('div', {className: 'field', id: 'row-' + f.name});
    row.dataset.name = f.name;
    const label = el('label', {htmlFor: 'f-' + f.name, textContent: f.label});
    let input;
    if (f.kind === 'CHOICE') {
      input = el('select');
      input.replaceChildren(...f.choices.map(c => new Option(c.label, c.value)));
      input.addEventListener('change', applySwitches);
    } else if (f.kind === 'BOOLEAN') {
      input = el('input', {type: 'checkbox'});
      input.addEventListener('change', applySwitches);
    } else {
      input = el('input', {type: f.secret ? 'password' : 'text', autocomplete: f.secret ? 'new-password' : 'off'});
    }
    Object.assign(input, {id: 'f-' + f.name, name: f.name});
    input.dataset.secret = f.secret;
    input.setAttribute('aria-describedby', 'help-' + f.name + ' error-' + f.name);
    row.append(label, input);
    if (f.help) row.append(el('small', {className: 'help', id: 'help-' + f.name, textContent: f.help}));
    row.append(el('span', {className: 'error', id: 'error-' + f.name}));
    fieldsBox(f.section, f.advanced).append(row);
  }
  fillFields(type);
}

function fillFields(type) {
  const stored = storedValues(type);
  const keeps = state.view.type === type.type ? state.view.storedSecrets : [];
  for (const f of type.fields) {
    const input = $('f-' + f.name);
    if (f.kind === 'BOOLEAN') {
      input.checked = (stored[f.name] || f.default) === 'true';
    } else if (f.secret) {
      input.value = '';
      input.placeholder = keeps.includes(f.name) ? t('keep') : '';
    } else {
      input.value = stored[f.name] || f.default || (f.kind === 'CHOICE' ? f.choices[0].value : '');
    }
  }
  // Advanced settings stay folded unless one of them holds something of the admin's.
  for (const d of document.querySelectorAll('details.advanced')) {
    d.open = type.fields.some(f => f.advanced && fieldsBox(f.section, true).closest('details') === d
        && stored[f.name] && stored[f.name] !== f.default);
  }
  applySwitches();
}

function formValue(name) {
  const input = $('f-' + name);
  return !input ? null : input.type === 'checkbox' ? String(input.checked) : input.value;
}

// A field is shown (and then required) by its switch or choice; a stored secret left blank is kept, so it is not
// required, and a switch always has a value. An advanced fold with nothing to show is hidden.
function applySwitches() {
  const type = currentType();
  for (const f of type.fields) {
    const row = $('row-' + f.name);
    const shown = shownFor(f, formValue);
    row.hidden = !shown;
    const input = $('f-' + f.name);
    const kept = f.secret && input.placeholder === t('keep');
    row.querySelector('label').classList.toggle('required', shown && f.required && !kept && f.kind !== 'BOOLEAN');
  }
  for (const d of document.querySelectorAll('details.advanced')) {
    d.hidden = ![...d.querySelectorAll('.field')].some(r => !r.hidden);
  }
}

// The configuration in force, read-only and grouped as the form is: only what applies and is set.
function drawSummary() {
  const type = state.types.find(ty => ty.type === state.view.type);
  if (!type) { $('summary-sections').replaceChildren(); return; }
  const stored = state.view.values;
  const valueOf = name => stored[name] ?? (type.fields.find(f => f.name === name) || {}).default ?? null;
  const sections = SECTIONS.map(s => {
    const list = el('dl');
    const add = (name, label, value) => list.append(el('dt', {textContent: label}),
        el('dd', {id: 'sum-' + name, textContent: value}));
    if (s === 'AUTHENTICATION') add('type', t('type'), type.label);
    for (const f of type.fields.filter(f => f.section === s && shownFor(f, valueOf))) {
      if (f.secret) {
        if (state.view.storedSecrets.includes(f.name)) {
          add(f.name, f.label, t('storedSecret'));
          // What the view tells of a stored secret without showing it (a certificate's thumbprint, subject,
          // validity): values named after the secret's field that are no field themselves.
          for (const part of ['Thumbprint', 'Subject', 'Expires']) {
            const v = stored[f.name + part];
            if (v && !type.fields.some(g => g.name === f.name + part)) add(f.name + part, t(part), v);
          }
        }
        continue;
      }
      const v = valueOf(f.name);
      if (v === null || v === '') continue;
      add(f.name, f.label, f.kind === 'BOOLEAN' ? t(v === 'true' ? 'on' : 'off')
          : f.kind === 'CHOICE' ? (f.choices.find(c => c.value === v) || {label: v}).label : v);
    }
    if (s === 'AUTHENTICATION') add('recipient', t('recipientLabel'), state.view.testRecipient);
    return el('div', {className: 'summary-section', id: 'summary-' + s}, el('h2', {textContent: t(s)}), list);
  });
  $('summary-sections').replaceChildren(...sections);
}

function collect() {
  const values = {}, secrets = {};
  for (const f of currentType().fields) {
    if ($('row-' + f.name).hidden) continue;
    const value = formValue(f.name);
    if (f.secret) secrets[f.name] = value; else values[f.name] = value;
  }
  return {type: $('type').value, values, secrets, expectedRevision: state.view.revision};
}

async function save(anyway) {
  clearErrors();
  $('save-anyway').hidden = true;
  const r = await api('POST', '/api/config', {...collect(), saveAnyway: anyway});
  if (r.status === 200) {
    // The page shows what is stored before the notice says so.
    state.view = (await api('GET', '/api/config')).body;
    state.editing = false;
    drawFields();
    showWarnings();
    showStatus();
    showMode();
    await health();
    await inbox();
    notice(r.body.testFailure ? 'failed' : 'ok', r.body.testFailure ? t('savedFailed', r.body.revision,
        r.body.testFailure.hint) : t('saved', r.body.revision, r.body.testEmailTo));
  } else if (r.status === 422) {
    notice('', '');
    for (const v of r.body.violations) {
      const e = $('error-' + v.field);
      if (e) {
        e.textContent = v.message;
        const fold = e.closest('details');
        if (fold) fold.open = true;
      } else {
        notice('failed', v.message);
      }
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
    return el('li', {className: s.outcome, textContent: t(s.outcome) + ' \u2013 ' + s.summary + ' (' + s.millis + ' ms)'});
  }));
  $('advice').replaceChildren(...(r.body.advice || []).concat(r.body.failure ? [r.body.failure.hint] : [])
      .map(a => el('li', {textContent: a})));
}

// The outbox, when the service has one: what waits, and what needs the admin's decision (resend or discard).
async function outbox() {
  const epoch = state.epoch;
  const r = await api('GET', '/api/outbox');
  if (epoch !== state.epoch) return;
  $('outbox').hidden = r.status !== 200 || !r.body.enabled;
  if ($('outbox').hidden) return;
  $('outbox-title').textContent = t('outbox');
  $('outbox-summary').textContent = r.body.pending ? t('outboxWaiting', r.body.pending, r.body.oldestSeconds || 0)
      : t('outboxNothing');
  $('outbox-list').replaceChildren(...r.body.attention.map(e => el('li', {id: 'outbox-' + e.id, className: e.kind},
      el('strong', {textContent: t('outbox' + e.kind)}), ' \u2013 ' + e.subject + ' \u2013 ' + e.to + ' \u2013 '
      + t('attempts', e.attempts) + (e.step ? ', ' + e.step : ''), el('br'), el('small', {textContent: e.hint}), ' ',
      el('button', {type: 'button', id: 'resend-' + e.id, textContent: t('resend'),
          onclick: () => settle(() => decide('resend', e.id))}),
      el('button', {type: 'button', id: 'discard-' + e.id, textContent: t('discard'),
          onclick: () => settle(() => decide('discard', e.id))}))));
}

async function decide(what, id) {
  await api('POST', '/api/outbox/' + what, {id});
  await outbox();
  await health();
}

async function inbox() {
  const epoch = state.epoch;
  const r = await api('GET', '/api/inbox');
  if (r.status !== 200 || epoch !== state.epoch) return;
  $('inbox').replaceChildren(...r.body.map(m => el('li', {textContent: m.subject + ' \u2013 ' + m.to, title: m.text})));
}

$('lang').addEventListener('change', e => { state.lang = e.target.value; settle(load); });
$('user').addEventListener('change', e => { state.user = e.target.value; settle(load); });
$('type').addEventListener('change', () => { clearStale(); clearErrors(); drawFields(); });
$('edit').addEventListener('click', () => { state.editing = true; notice('', ''); showMode(); });
// Cancel puts back what is stored: the type, every value, no errors, no report of the draft.
$('cancel').addEventListener('click', () => {
  clearStale(); clearErrors(); notice('', '');
  $('type').value = state.view.type; drawFields();
  state.editing = false; showMode();
});
$('form').addEventListener('submit', e => { e.preventDefault(); settle(() => save(false)); });
$('save-anyway').addEventListener('click', () => settle(() => save(true)));
$('verify').addEventListener('click', () => settle(verify));
$('refresh').addEventListener('click', () => settle(inbox));
settle(load);
